#include "sources/sql/advanced_rules.h"

#include <algorithm>
#include <set>

#include "core/errors.h"
#include "sources/sql/documents.h"
#include "sources/sql/values.h"

namespace connectors::sources::sql {
namespace {

using json = nlohmann::json;

// Python's repr of a list or set of strings: ['a', 'b'] / {'a', 'b'}.
std::string python_collection(const std::vector<std::string>& items, char open, char close) {
  std::string out(1, open);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += common::python_str_repr(items[i]);
  }
  return out + close;
}

// The first schema violation of one rule, in fastjsonschema's keyword order
// (type, required, properties in definition order, additionalProperties).
std::string rule_problem(const json& rule, const std::string& name) {
  if (!rule.is_object()) return name + " must be object";
  std::vector<std::string> missing;
  for (const char* key : {"query", "tables"}) {  // sorted(), as the message prints them
    if (!rule.contains(key)) missing.emplace_back(key);
  }
  if (!missing.empty())
    return name + " must contain " + python_collection(missing, '[', ']') + " properties";
  const json& tables = rule["tables"];
  if (!tables.is_array()) return name + ".tables must be array";
  if (tables.empty()) return name + ".tables must contain at least 1 items";
  const json& query = rule["query"];
  if (!query.is_string()) return name + ".query must be string";
  if (query.get<std::string>().empty())
    return name + ".query must be longer than or equal to 1 characters";
  if (rule.contains("id_columns")) {
    const json& ids = rule["id_columns"];
    if (!ids.is_array()) return name + ".id_columns must be array";
    if (ids.empty()) return name + ".id_columns must contain at least 1 items";
  }
  std::vector<std::string> extra;
  for (const auto& [key, unused] : rule.items()) {
    if (key != "tables" && key != "query" && key != "id_columns") extra.push_back(key);
  }
  if (!extra.empty())
    return name + " must not contain " + python_collection(extra, '{', '}') + " properties";
  return "";
}

std::vector<std::string> strings(const json& array, const std::string& name) {
  std::vector<std::string> out;
  for (size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_string() || array[i].get<std::string>().empty()) {
      throw ConfigError("advanced_snippet",
                        name + "[" + std::to_string(i) + "] must be a non-empty string");
    }
    out.push_back(array[i].get<std::string>());
  }
  return out;
}

}  // namespace

RulesValidation validate_rules_schema(const json& value) {
  if (!has_advanced_rules(value)) return {};
  if (!value.is_array()) return {false, "data must be array"};
  for (size_t i = 0; i < value.size(); ++i) {
    std::string problem = rule_problem(value[i], "data[" + std::to_string(i) + "]");
    if (!problem.empty()) return {false, problem};
  }
  return {};
}

std::vector<CustomQuery> parse_custom_queries(const json& value) {
  RulesValidation schema = validate_rules_schema(value);
  if (!schema.valid)
    throw ConfigError("advanced_snippet", "Advanced sync rules: " + schema.message);
  std::vector<CustomQuery> queries;
  if (!has_advanced_rules(value)) return queries;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string name = "data[" + std::to_string(i) + "]";
    const json& rule = value[i];
    CustomQuery q;
    q.tables = strings(rule["tables"], name + ".tables");
    q.query = rule["query"].get<std::string>();
    if (rule.contains("id_columns"))
      q.id_columns = strings(rule["id_columns"], name + ".id_columns");
    queries.push_back(std::move(q));
  }
  return queries;
}

RulesValidation validate_rule_tables(const std::vector<CustomQuery>& queries,
                                     const std::function<bool(const std::string&)>& exists) {
  std::set<std::string> missing;
  for (const auto& q : queries) {
    for (const auto& table : q.tables) {
      if (!exists(table)) missing.insert(table);
    }
  }
  if (missing.empty()) return {};
  return {false, "Tables not found or inaccessible: " +
                     common::join(std::vector<std::string>(missing.begin(), missing.end())) + "."};
}

}  // namespace connectors::sources::sql
