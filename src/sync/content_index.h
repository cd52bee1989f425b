// Prepares the content index and its ingest pipeline the way the Python
// framework expects them: creates what is missing (index with default
// mappings; the pipeline that strips the framework's control fields) and
// leaves alone whatever the user made.
#pragma once

#include <string>

#include "es/client.h"

namespace connectors::sync {

// The framework's control fields, added to every content document.
inline constexpr const char* kExtractBinaryContent = "_extract_binary_content";
inline constexpr const char* kReduceWhitespace = "_reduce_whitespace";
inline constexpr const char* kRunMlInference = "_run_ml_inference";
inline constexpr const char* kDefaultPipeline = "ent-search-generic-ingestion";

// The mappings a new content index gets (dynamic, `id` keyword, `_timestamp` date, ...).
es::json default_content_mappings();

// Creates `index` with default settings and mappings if it does not exist.
// Returns true if it created it.
bool ensure_content_index(es::Client& client, const std::string& index);

// Creates `pipeline` if it does not exist. Returns true if it created it.
bool ensure_pipeline(es::Client& client, const std::string& pipeline);

}  // namespace connectors::sync
