// Advanced sync rules of the SQL sources: custom queries, as MySQL @8.8 and
// PostgreSQL @HEAD define them — the connector's
// `filtering[DEFAULT].active.advanced_snippet.value` is an array of
//   {"tables": ["t1", ...], "query": "SELECT ...", "id_columns": ["c1", ...]}
// (`tables` and `query` required, `id_columns` optional, nothing else allowed).
// Validation follows the framework's validator: an empty value is valid; then
// the JSON schema (first failure only, with fastjsonschema's message, which
// names the rule by its index: "data[1].query must be string"); then every
// listed table must exist ("Tables not found or inaccessible: a, b.").
// Pure functions.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <vector>

#include "sources/source.h"

namespace connectors::sources::sql {

struct CustomQuery {
  std::vector<std::string> tables;
  std::string query;
  std::vector<std::string> id_columns;  // empty: the listed tables' primary keys
};

using sources::has_advanced_rules;
using sources::RulesValidation;

// The schema check alone.
RulesValidation validate_rules_schema(const nlohmann::json& value);

// The custom queries of a value that passes the schema; throws ConfigError
// (key "advanced_snippet") with the schema message otherwise. Table names and
// id columns must also be strings here (the framework's schema does not say,
// its queries then fail).
std::vector<CustomQuery> parse_custom_queries(const nlohmann::json& value);

// The table check, given a predicate telling whether a listed table exists.
RulesValidation validate_rule_tables(const std::vector<CustomQuery>& queries,
                                     const std::function<bool(const std::string&)>& exists);

}  // namespace connectors::sources::sql
