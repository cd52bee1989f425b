// The Network drive source's spellings, as the Python framework's
// network_drive.py writes them (smbprotocol's paths): pure functions.
#pragma once

#include <string>

#include "sources/network_drive/smb_connection.h"
#include "sources/source.h"

namespace connectors::sources::smb {

// A place on the server: `unc` as documents spell it (r"\\{server_ip}/{drive_path}"
// then "\name" per level, smbprotocol's mixed separators) and `path`, the same
// place '/'-separated from the share ("Folder1/sub/a.txt"), for the SMB URL
// and for the sync rules' globs.
struct SmbPlace {
  std::string unc;
  std::string path;
};

// The drive path's place ("Folder1", "Users/perftest"; '\' read as '/').
SmbPlace root_place(const std::string& server_ip, const std::string& drive_path);

// ntpath.join(parent, name): no separator added after a trailing '/' or '\'.
SmbPlace child_place(const SmbPlace& parent, const std::string& name);

// The framework's document of one directory entry: _id = the FileId as a
// decimal string, path, size, created_at, _timestamp (change time), type, title.
Document entry_document(const SmbPlace& place, const SmbEntry& entry);

}  // namespace connectors::sources::smb
