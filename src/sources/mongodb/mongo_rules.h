// Advanced sync rules of the MongoDB source, as MongoAdvancedRulesValidator
// @8.8 defines them: exactly one of
//   {"find": {filter, projection, skip, limit, no_cursor_timeout,
//             allow_partial_results, batch_size, return_key, show_record_id,
//             max_time_ms, allow_disk_use}}
//   {"aggregate": {allowDiskUse, maxTimeMS, batchSize, let, pipeline}}
// with additionalProperties false at both levels. Validation is the schema
// (first failure only, with fastjsonschema's message: "data.find.skip must be
// integer"), then — ours — the extended JSON of filter, projection, let and
// pipeline must parse ({"$oid": ...}, {"$date": ...} become BSON types).
// Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sources/mongodb/bson_values.h"
#include "sources/source.h"

namespace connectors::sources::mongodb {

// The schema check alone ({} or null: no rules, valid).
RulesValidation validate_rules_schema(const nlohmann::json& value);

// What the cursor runs: a find (query = filter) or an aggregate (query =
// {"pipeline": [...]}), with libmongoc's options (batchSize always set).
struct QueryPlan {
  bool aggregate = false;
  BsonPtr query;
  BsonPtr options;
  std::string description;  // "find", "aggregate" — for messages
};

// The plan of `rules` (no rules: a find of everything). Throws ConfigError
// (key "advanced_snippet") for a value failing the schema or whose extended
// JSON does not parse.
QueryPlan make_plan(const nlohmann::json& rules, int default_batch_size);

}  // namespace connectors::sources::mongodb
