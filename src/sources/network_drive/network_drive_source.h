// The Network drive source (service_type "network_drive", as in the Python
// framework): one document per file and folder under a path of an SMB share,
// read with libsmbclient. The walk reads no file: each file document carries a
// ContentRef the engine fetches only for new and changed files.
#pragma once

#include <memory>

#include "sources/network_drive/smb_connection.h"
#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor network_drive_descriptor();

namespace smb {

struct NetworkDriveSettings {
  SmbSettings smb;
  std::string drive_path = "Folder1";
  long long max_file_size = 10485760;  // the framework's limit for content
};

// The source of `settings` (the descriptor's create, without a configuration: tests).
std::unique_ptr<Source> make_network_drive_source(NetworkDriveSettings settings);

}  // namespace smb
}  // namespace connectors::sources
