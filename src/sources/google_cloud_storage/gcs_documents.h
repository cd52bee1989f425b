// The framework's documents of Google Cloud Storage objects (BLOB_ADAPTER of
// connectors/sources/google_cloud_storage.py). Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace connectors::sources::gcs {

// Python's urllib.parse.quote(text, safe="'"): every byte but A-Z a-z 0-9 _ . - ~ and ' as %XX.
std::string quote(std::string_view text);

// The console URL the framework puts in `url`:
// https://console.cloud.google.com/storage/browser/_details/{bucket}/{quote(name)};tab=live_object?project={project}
std::string console_url(std::string_view bucket, std::string_view name, std::string_view project);

// The document's fields (every key of BLOB_ADAPTER but _id and _timestamp),
// absent values as null, from one item of an objects.list answer.
nlohmann::json blob_fields(const nlohmann::json& object, std::string_view project);

// `_id`: the object's `id` ({bucket}/{name}/{generation}).
std::string blob_id(const nlohmann::json& object);

}  // namespace connectors::sources::gcs
