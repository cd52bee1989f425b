#include "sources/azure_blob_storage/azure_blob_storage_source.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "core/errors.h"
#include "extraction/plain_text.h"
#include "sources/azure_blob_storage/blob_document.h"
#include "sources/common/python_text.h"

namespace connectors::sources {
namespace azure {
namespace {

// The framework's defaults: the Azurite emulator's well-known development account.
constexpr const char* kDevAccount = "devstoreaccount1";
constexpr const char* kDevKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
constexpr const char* kDevEndpoint = "http://127.0.0.1:10000/devstoreaccount1";
constexpr int kMaxConcurrentDownloads = 100;

// Ends a download the engine's sink no longer wants (over its limit).
struct SinkFull {};

class AzureBlobSource final : public Source {
 public:
  explicit AzureBlobSource(AzureSettings settings)
      : settings_(std::move(settings)),
        service_(std::make_shared<BlobService>(settings_.service)) {}

  void ping(std::stop_token stop) override { service_->ping(stop); }

  void documents(DocumentSink& sink, std::stop_token stop) override {
    // Any failure (a container that cannot be listed part-way) throws: the
    // engine then deletes nothing, where the framework logged it and went on.
    for (const ContainerItem& container : selected_containers(sink, stop)) {
      service_->list_blobs(
          container.name,
          [&](const BlobItem& blob) {
            if (stop.stop_requested()) throw Cancelled();
            sink.emit(make_document(container, blob));
          },
          stop);
    }
  }

 private:
  std::vector<ContainerItem> selected_containers(DocumentSink& sink, std::stop_token stop) {
    const auto& wanted = settings_.containers;
    bool all = std::find(wanted.begin(), wanted.end(), "*") != wanted.end();
    std::set<std::string> missing(wanted.begin(), wanted.end());
    std::vector<ContainerItem> selected;
    service_->list_containers(
        [&](const ContainerItem& container) {
          if (all || missing.erase(container.name) > 0) selected.push_back(container);
        },
        stop);
    if (!all && !missing.empty()) {
      sink.warn("azure_blob_storage: container(s) " +
                common::join({missing.begin(), missing.end()}, ",") + " of account '" +
                service_->account() + "' are configured but not found");
    }
    return selected;
  }

  Document make_document(const ContainerItem& container, const BlobItem& blob) const {
    Document doc = blob_document(container, blob);
    if (blob.access_tier == "Archive") {
      // An archived blob cannot be read until it is rehydrated: metadata only.
      spdlog::warn("{} can't be downloaded as blob tier is archive", blob.name);
      return doc;
    }
    doc.content.name = container.name + "/" + blob.name;
    doc.content.extension = extraction::file_extension(blob.name);
    doc.content.size = blob.size;
    doc.content.max_size = settings_.max_file_size;
    doc.content.fetch = [service = service_, container = container.name, name = blob.name](
                            ContentSink& out, long long max_bytes, std::stop_token stop) {
      http::DownloadResult result;
      try {
        result = service->download(
            container, name,
            [&](std::string_view chunk) {
              if (!out.write(chunk)) throw SinkFull{};
            },
            static_cast<uint64_t>(max_bytes), stop);
      } catch (const SinkFull&) {
        return;
      }
      if (result.over_limit) {
        throw SourceError("azure_blob_storage: blob '" + name + "' of container '" + container +
                          "' grew over " + std::to_string(max_bytes) +
                          " bytes since it was listed");
      }
    };
    return doc;
  }

  AzureSettings settings_;
  std::shared_ptr<BlobService> service_;  // shared with the downloads of the documents
};

Schema azure_schema() {
  Field account_name = make_field("account_name", "Azure Blob Storage account name", 1);
  account_name.value = kDevAccount;
  // Not `sensitive`, as the framework's descriptor has it (8.8 to HEAD); the
  // service still masks it in every log line and error (a Secret).
  Field account_key = make_field("account_key", "Azure Blob Storage account key", 2);
  account_key.value = kDevKey;
  Field blob_endpoint = make_field("blob_endpoint", "Azure Blob Storage blob endpoint", 3);
  blob_endpoint.value = kDevEndpoint;
  Field containers = make_field("containers", "Azure Blob Storage containers", 4);
  containers.type = FieldType::kList;
  containers.display = Display::kTextarea;
  containers.value = "*";  // every container, as a connector from before the field had
  Field retry_count = advanced_number("retry_count", "Retries per request", 5, 3);
  Field downloads = advanced_number("concurrent_downloads", "Maximum concurrent downloads", 6,
                                    kMaxConcurrentDownloads);
  downloads.validations = {{"less_than", kMaxConcurrentDownloads + 1}};
  Field extraction_service = extraction_service_toggle(7);
  return {account_name, account_key, blob_endpoint,     containers,
          retry_count,  downloads,   extraction_service};
}

}  // namespace

std::unique_ptr<Source> make_azure_blob_source(AzureSettings settings) {
  return std::make_unique<AzureBlobSource>(std::move(settings));
}

}  // namespace azure

SourceDescriptor azure_blob_storage_descriptor() {
  return {"azure_blob_storage", "Azure Blob Storage", azure::azure_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            azure::AzureSettings s;
            s.service.account_name = c.str("account_name");
            s.service.account_key = c.secret("account_key");
            s.service.blob_endpoint = c.str("blob_endpoint");
            long long retries = c.integer("retry_count");
            if (retries < 0 || retries > 100) {
              throw ConfigError("retry_count",
                                "'Retries per request' (retry_count) must be "
                                "between 0 and 100, not " +
                                    std::to_string(retries));
            }
            s.service.retry_count = static_cast<int>(retries);
            s.containers = c.list("containers");
            if (s.containers.empty()) s.containers = {"*"};
            return azure::make_azure_blob_source(std::move(s));
          }};
}

}  // namespace connectors::sources
