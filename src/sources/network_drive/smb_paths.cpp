#include "sources/network_drive/smb_paths.h"

#include <algorithm>

#include "core/iso_time.h"

namespace connectors::sources::smb {

SmbPlace root_place(const std::string& server_ip, const std::string& drive_path) {
  std::string path = drive_path;
  std::replace(path.begin(), path.end(), '\\', '/');
  while (path.ends_with('/')) path.pop_back();
  return {"\\\\" + server_ip + "/" + drive_path, path};
}

SmbPlace child_place(const SmbPlace& parent, const std::string& name) {
  bool separated = parent.unc.ends_with('/') || parent.unc.ends_with('\\');
  std::string path = parent.path.empty() ? name : parent.path + "/" + name;
  return {parent.unc + (separated ? "" : "\\") + name, path};
}

Document entry_document(const SmbPlace& place, const SmbEntry& entry) {
  Document doc;
  doc.id = std::to_string(entry.file_id);
  doc.timestamp = iso_utc(entry.changed.tv_sec, entry.changed.tv_nsec);
  doc.fields = {
      {"path", place.unc},
      {"size", entry.size},
      {"created_at", iso_utc(entry.created.tv_sec, entry.created.tv_nsec)},
      {"type", entry.directory ? "folder" : "file"},
      {"title", entry.name},
  };
  return doc;
}

}  // namespace connectors::sources::smb
