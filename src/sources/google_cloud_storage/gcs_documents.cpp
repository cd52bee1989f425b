#include "sources/google_cloud_storage/gcs_documents.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace connectors::sources::gcs {

std::string quote(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '.' || c == '-' || c == '~' || c == '\'';
    if (safe) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string console_url(std::string_view bucket, std::string_view name, std::string_view project) {
  return fmt::format(
      "https://console.cloud.google.com/storage/browser/_details/{}/{};tab=live_object?project={}",
      bucket, quote(name), project);
}

nlohmann::json blob_fields(const nlohmann::json& object, std::string_view project) {
  // (document field, JSON API field), in BLOB_ADAPTER's order.
  static constexpr std::array<std::pair<const char*, const char*>, 12> kAdapter = {{
      {"component_count", "componentCount"},
      {"content_encoding", "contentEncoding"},
      {"content_language", "contentLanguage"},
      {"created_at", "timeCreated"},
      {"last_updated", "updated"},
      {"metadata", "metadata"},
      {"name", "name"},
      {"size", "size"},
      {"storage_class", "storageClass"},
      {"type", "contentType"},
      {"version", "generation"},
      {"bucket_name", "bucket"},
  }};
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [field, api] : kAdapter) fields[field] = object.value(api, nlohmann::json());
  std::string bucket = object.value("bucket", "");
  std::string name = object.value("name", "");
  fields["url"] = console_url(bucket, name, project);
  return fields;
}

std::string blob_id(const nlohmann::json& object) {
  if (auto id = object.find("id"); id != object.end() && id->is_string())
    return id->get<std::string>();
  // Not seen from GCS; what its id is made of.
  return fmt::format("{}/{}/{}", object.value("bucket", ""), object.value("name", ""),
                     object.value("generation", ""));
}

}  // namespace connectors::sources::gcs
