#include "sync/content_index.h"

#include <spdlog/spdlog.h>

namespace connectors::sync {

es::json default_content_mappings() {
  using es::json;
  return {
      {"dynamic", true},
      {"dynamic_templates",
       json::array({{{"strings_as_text",
                      {{"match_mapping_type", "string"},
                       {"mapping",
                        {{"type", "text"},
                         {"fields", {{"keyword", {{"type", "keyword"}, {"ignore_above", 2048}}}}}}}}}}})},
      {"properties",
       {{"id", {{"type", "keyword"}}},
        {"_timestamp", {{"type", "date"}}},
        {"_content_hash", {{"type", "keyword"}}},
        {"title", {{"type", "text"}, {"fields", {{"keyword", {{"type", "keyword"}, {"ignore_above", 2048}}}}}}},
        {"body", {{"type", "text"}}},
        // `.enum`: the field the framework's DLS query template matches on.
        {"_allow_access_control",
         {{"type", "keyword"}, {"fields", {{"enum", {{"type", "keyword"}}}}}}},
        {"_subextracted_as_of", {{"type", "date"}}},
        {"_subextracted_version", {{"type", "keyword"}}}}},
  };
}

bool ensure_content_index(es::Client& client, const std::string& index) {
  if (client.index_exists(index)) return false;
  es::json body = {{"settings", {{"index", {{"number_of_shards", 1}, {"number_of_replicas", 0}}}}},
                   {"mappings", default_content_mappings()}};
  try {
    client.create_index(index, body);
  } catch (const es::EsError& e) {
    if (e.type() == "resource_already_exists_exception") return false;  // another instance won
    throw;
  }
  spdlog::info("created content index {}", index);
  return true;
}

bool ensure_pipeline(es::Client& client, const std::string& pipeline) {
  if (client.get_pipeline(pipeline)) return false;
  // Only `remove` is used so that the pipeline exists on every engine; text
  // extraction and whitespace reduction happen in this process.
  es::json body = {
      {"description", "Removes the connectors framework's control fields (created by elastic-connectors-cpp)"},
      {"processors",
       es::json::array({{{"remove",
                          {{"field", {kExtractBinaryContent, kReduceWhitespace, kRunMlInference}},
                           {"ignore_missing", true}}}}})}};
  client.put_pipeline(pipeline, body);
  spdlog::info("created ingest pipeline {}", pipeline);
  return true;
}

}  // namespace connectors::sync
