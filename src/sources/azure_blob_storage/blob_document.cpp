#include "sources/azure_blob_storage/blob_document.h"

#include <curl/curl.h>

#include "core/errors.h"
#include "core/iso_time.h"
#include "sources/common/python_text.h"

namespace connectors::sources::azure {
namespace {

std::string repr_or_none(const std::optional<std::string>& text) {
  return text ? common::python_str_repr(*text) : "None";
}

nlohmann::json text_or_null(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

}  // namespace

std::string python_dict_str(const std::optional<Metadata>& pairs) {
  if (!pairs) return "None";
  std::string out = "{";
  for (const auto& [key, value] : *pairs) {
    if (out.size() > 1) out += ", ";
    out += common::python_str_repr(key) + ": " + common::python_str_repr(value);
  }
  return out + "}";
}

std::string python_lease_str(const BlobItem& blob) {
  return "{'status': " + repr_or_none(blob.lease_status) +
         ", 'state': " + repr_or_none(blob.lease_state) +
         ", 'duration': " + repr_or_none(blob.lease_duration) + "}";
}

std::optional<std::string> isoformat_of_http_date(std::string_view date) {
  if (date.empty()) return std::nullopt;
  time_t seconds = curl_getdate(std::string(date).c_str(), nullptr);  // RFC 1123, as HTTP dates
  if (seconds == -1) return std::nullopt;
  return iso_utc(static_cast<long long>(seconds), 0);
}

Document blob_document(const ContainerItem& container, const BlobItem& blob) {
  Document doc;
  doc.id = container.name + "/" + blob.name;
  auto modified = isoformat_of_http_date(blob.last_modified);
  if (!modified) {
    throw SourceError("azure_blob_storage: blob '" + blob.name + "' of container '" +
                      container.name + "' has no readable Last-Modified ('" + blob.last_modified +
                      "')");
  }
  doc.timestamp = *modified;
  auto created = isoformat_of_http_date(blob.creation_time);
  doc.fields = {
      {"created at", text_or_null(created)},
      {"content type", text_or_null(blob.content_type)},
      {"container metadata", python_dict_str(container.metadata)},
      {"metadata", python_dict_str(blob.metadata)},
      {"leasedata", python_lease_str(blob)},
      {"title", blob.name},
      {"tier", text_or_null(blob.access_tier)},
      {"size", blob.size},
      {"container", container.name},
  };
  return doc;
}

}  // namespace connectors::sources::azure
