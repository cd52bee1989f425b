#include "sources/network_drive/network_drive_source.h"

#include <cerrno>
#include <set>

#include "core/errors.h"
#include "extraction/plain_text.h"
#include "sources/network_drive/smb_paths.h"
#include "sources/network_drive/smb_rules.h"

namespace connectors::sources {
namespace smb {
namespace {

class NetworkDriveSource final : public AdvancedRulesSource {
 public:
  explicit NetworkDriveSource(NetworkDriveSettings settings)
      : settings_(std::move(settings)), pool_(std::make_shared<ConnectionPool>(settings_.smb)) {}

  void ping(std::stop_token) override {
    // As the framework's ping (a session with the credentials), and the drive path is readable.
    connection().list(root_place(settings_.smb.server_ip, settings_.drive_path).path);
  }

  void set_advanced_rules(const json& value) override { patterns_ = parse_rules(value); }

  RulesValidation validate_advanced_rules(const json& value, std::stop_token) override {
    return validate_rules(value);
  }

  // Any folder that cannot be read throws: the engine then deletes nothing,
  // where the framework logged it and went on (deleting what it did not see).
  void documents(DocumentSink& sink, std::stop_token stop) override {
    if (patterns_.empty()) {
      walk(root_place(settings_.smb.server_ip, settings_.drive_path), sink, stop,
           [](const SmbPlace&) { return true; });
      return;
    }
    std::vector<std::string> earlier;
    for (const std::string& pattern : patterns_) {
      // A place an earlier rule matched is not emitted twice.
      auto selected = [&](const SmbPlace& place) {
        if (!pattern_matches(pattern, place.path)) return false;
        for (const auto& other : earlier) {
          if (pattern_matches(other, place.path)) return false;
        }
        return true;
      };
      std::string base = base_path(pattern);
      bool wildcard = base != pattern;
      SmbPlace start{"\\\\" + settings_.smb.server_ip + "/" + base + (wildcard ? "/" : ""), base};
      if (!walk(start, sink, stop, selected, /*missing_ok=*/true)) {
        sink.warn("network_drive: sync rule pattern '" + pattern + "' names no folder ('" + base +
                  "' cannot be listed on " + server_name(settings_.smb) + ")");
      }
      earlier.push_back(pattern);
    }
  }

 private:
  SmbConnection& connection() {
    if (!listing_) listing_ = std::make_unique<SmbConnection>(settings_.smb);
    return *listing_;
  }

  // Emits what `selected` keeps under `top`, depth first as the framework's
  // stack. With `missing_ok`, a `top` that does not exist or is not a folder
  // returns false instead of throwing.
  template <typename Selected>
  bool walk(const SmbPlace& top, DocumentSink& sink, std::stop_token stop, Selected selected,
            bool missing_ok = false) {
    std::vector<SmbPlace> stack{top};
    bool first = true;
    while (!stack.empty()) {
      SmbPlace folder = std::move(stack.back());
      stack.pop_back();
      std::vector<SmbEntry> entries;
      int err = 0;
      try {
        entries = connection().list(folder.path, &err);
      } catch (const SourceError&) {
        if (first && missing_ok && (err == ENOENT || err == ENOTDIR)) return false;
        listing_.reset();  // a context that failed is not reused
        throw;
      }
      first = false;
      for (const SmbEntry& entry : entries) {
        if (stop.stop_requested()) throw Cancelled();
        SmbPlace place = child_place(folder, entry.name);
        if (entry.directory) stack.push_back(place);
        if (selected(place)) sink.emit(make_document(place, entry));
      }
    }
    return true;
  }

  Document make_document(const SmbPlace& place, const SmbEntry& entry) const {
    Document doc = entry_document(place, entry);
    if (entry.directory) return doc;
    doc.content.name = place.unc;
    doc.content.extension = extraction::file_extension(entry.name);
    doc.content.size = static_cast<long long>(entry.size);
    doc.content.max_size = settings_.max_file_size;
    doc.content.fetch = [pool = pool_, path = place.path](ContentSink& out, long long max_bytes,
                                                          std::stop_token stop) {
      pool->with_connection([&](SmbConnection& connection) {
        connection.read(
            path, [&](std::string_view chunk) { return out.write(chunk); }, max_bytes, stop);
      });
    };
    return doc;
  }

  NetworkDriveSettings settings_;
  std::shared_ptr<ConnectionPool> pool_;    // the downloads' connections, shared with the documents
  std::unique_ptr<SmbConnection> listing_;  // the producer thread's connection
  std::vector<std::string> patterns_;
};

Field text_field(const char* key, const char* label, int order, const char* value) {
  Field f = make_field(key, label, order);
  f.value = value;
  return f;
}

Schema network_drive_schema() {
  Field password = text_field("password", "Password", 2, "abc@123");
  password.sensitive = true;
  Field port = make_field("server_port", "SMB port", 4);
  port.type = FieldType::kInt;
  port.display = Display::kNumeric;
  port.value = 445;
  Field extraction_service = extraction_service_toggle(9);
  return {text_field("username", "Username", 1, "admin"),     password,
          text_field("server_ip", "SMB IP", 3, "127.0.0.1"),  port,
          text_field("drive_path", "SMB path", 5, "Folder1"), extraction_service};
}

}  // namespace

std::unique_ptr<Source> make_network_drive_source(NetworkDriveSettings settings) {
  return std::make_unique<NetworkDriveSource>(std::move(settings));
}

}  // namespace smb

SourceDescriptor network_drive_descriptor() {
  return {"network_drive", "Network Drive", smb::network_drive_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            smb::NetworkDriveSettings s;
            s.smb.username = c.str("username");
            s.smb.password = c.secret("password");
            s.smb.server_ip = c.str("server_ip");
            long long port = c.integer("server_port");
            if (port < 1 || port > 65535) {
              throw ConfigError("server_port",
                                "'SMB port' (server_port) must be between 1 and "
                                "65535, not " +
                                    std::to_string(port));
            }
            s.smb.port = static_cast<int>(port);
            s.drive_path = c.str("drive_path");
            if (s.drive_path.starts_with("/") || s.drive_path.starts_with("\\")) {
              // The framework's validate_config message.
              throw ConfigError("drive_path", "SMB Path:" + s.drive_path +
                                                  " should not start with '/' in the beginning.");
            }
            return smb::make_network_drive_source(std::move(s));
          },
          Capabilities{.advanced_rules = true}};
}

}  // namespace connectors::sources
