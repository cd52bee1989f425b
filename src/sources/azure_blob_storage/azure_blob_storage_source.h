// The Azure Blob Storage source (service_type "azure_blob_storage", as in the
// Python framework): one document per blob of the selected containers of a
// storage account, signed with the account's Shared Key. Listing reads no
// blob: each document carries a ContentRef the engine fetches only for new
// and changed blobs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sources/azure_blob_storage/blob_service.h"
#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor azure_blob_storage_descriptor();

namespace azure {

struct AzureSettings {
  ServiceSettings service;
  std::vector<std::string> containers = {"*"};  // "*" = every container of the account
  long long max_file_size = 10485760;           // the framework's limit for content
};

// The source of `settings` (the descriptor's create, without a configuration: tests).
std::unique_ptr<Source> make_azure_blob_source(AzureSettings settings);

}  // namespace azure
}  // namespace connectors::sources
