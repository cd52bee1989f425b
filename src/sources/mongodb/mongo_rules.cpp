#include "sources/mongodb/mongo_rules.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "core/errors.h"
#include "sources/common/python_text.h"

namespace connectors::sources::mongodb {
namespace {

using json = nlohmann::json;

enum class Type { kBool, kInt, kObject, kArray, kArrayOrObject };

struct Property {
  const char* name;
  Type type;
  bool min_one_item = false;
};

// In the framework's definition order, which is fastjsonschema's check order.
const std::vector<Property> kAggregate = {{"allowDiskUse", Type::kBool},
                                          {"maxTimeMS", Type::kInt},
                                          {"batchSize", Type::kInt},
                                          {"let", Type::kObject},
                                          {"pipeline", Type::kArray, true}};
const std::vector<Property> kFind = {{"filter", Type::kObject},
                                     {"projection", Type::kArrayOrObject, true},
                                     {"skip", Type::kInt},
                                     {"limit", Type::kInt},
                                     {"no_cursor_timeout", Type::kBool},
                                     {"allow_partial_results", Type::kBool},
                                     {"batch_size", Type::kInt},
                                     {"return_key", Type::kBool},
                                     {"show_record_id", Type::kBool},
                                     {"max_time_ms", Type::kInt},
                                     {"allow_disk_use", Type::kBool}};

const char* type_name(Type type) {
  switch (type) {
    case Type::kBool:
      return "boolean";
    case Type::kInt:
      return "integer";
    case Type::kObject:
      return "object";
    case Type::kArray:
      return "array";
    case Type::kArrayOrObject:
      return "array or object";
  }
  return "object";
}

bool has_type(const json& v, Type type) {
  switch (type) {
    case Type::kBool:
      return v.is_boolean();
    case Type::kInt:
      return v.is_number_integer();
    case Type::kObject:
      return v.is_object();
    case Type::kArray:
      return v.is_array();
    case Type::kArrayOrObject:
      return v.is_array() || v.is_object();
  }
  return false;
}

// "data must not contain {'a', 'b'} properties" for keys outside `allowed`.
std::string extra_keys(const json& object, const std::string& name,
                       const std::set<std::string>& allowed) {
  std::vector<std::string> extra;
  for (const auto& [key, unused] : object.items()) {
    if (!allowed.count(key)) extra.push_back(common::python_str_repr(key));
  }
  if (extra.empty()) return "";
  std::sort(extra.begin(), extra.end());
  std::string set;
  for (const auto& e : extra) set += (set.empty() ? "" : ", ") + e;
  return name + " must not contain {" + set + "} properties";
}

std::string object_problem(const json& value, const std::string& name,
                           const std::vector<Property>& properties) {
  if (!value.is_object()) return name + " must be object";
  std::set<std::string> allowed;
  for (const auto& p : properties) {
    allowed.insert(p.name);
    if (!value.contains(p.name)) continue;
    const json& v = value[p.name];
    std::string field = name + "." + p.name;
    if (!has_type(v, p.type)) return field + " must be " + type_name(p.type);
    if (p.min_one_item && v.is_array() && v.empty())
      return field + " must contain at least 1 items";
  }
  return extra_keys(value, name, allowed);
}

std::string schema_problem(const json& value) {
  if (!value.is_object()) return "data must be object";
  if (value.size() > 1) return "data must contain less than or equal to 1 properties";
  if (value.contains("aggregate"))
    return object_problem(value["aggregate"], "data.aggregate", kAggregate);
  if (value.contains("find")) return object_problem(value["find"], "data.find", kFind);
  return extra_keys(value, "data", {"aggregate", "find"});
}

// pymongo's find() keywords -> the find command's options.
json find_options(const json& find, int default_batch_size) {
  static const std::vector<std::pair<const char*, const char*>> kNames = {
      {"skip", "skip"},
      {"no_cursor_timeout", "noCursorTimeout"},
      {"allow_partial_results", "allowPartialResults"},
      {"return_key", "returnKey"},
      {"show_record_id", "showRecordId"},
      {"max_time_ms", "maxTimeMS"},
      {"allow_disk_use", "allowDiskUse"}};
  json options = json::object();
  for (const auto& [python, command] : kNames) {
    if (find.contains(python)) options[command] = find[python];
  }
  if (find.contains("projection")) {
    const json& p = find["projection"];
    if (p.is_object()) {
      options["projection"] = p;
    } else {  // a list of field names, as pymongo turns it into a projection
      json fields = json::object();
      for (const auto& name : p)
        fields[name.is_string() ? name.get<std::string>() : name.dump()] = 1;
      options["projection"] = fields;
    }
  }
  if (find.contains("limit")) {
    long long limit = find["limit"].get<long long>();
    if (limit < 0) options["singleBatch"] = true;  // pymongo: a negative limit is one batch
    if (limit != 0) options["limit"] = std::llabs(limit);
  }
  long long batch = find.value("batch_size", 0LL);
  options["batchSize"] = batch > 0 ? batch : default_batch_size;
  return options;
}

json aggregate_options(const json& aggregate, int default_batch_size) {
  json options = json::object();
  for (const char* key : {"allowDiskUse", "maxTimeMS", "let"}) {
    if (aggregate.contains(key)) options[key] = aggregate[key];
  }
  long long batch = aggregate.value("batchSize", 0LL);
  options["batchSize"] = batch > 0 ? batch : default_batch_size;
  return options;
}

}  // namespace

RulesValidation validate_rules_schema(const json& value) {
  if (!has_advanced_rules(value)) return {};
  std::string problem = schema_problem(value);
  if (!problem.empty()) return {false, problem};
  return {};
}

QueryPlan make_plan(const json& rules, int default_batch_size) {
  const std::string key = "advanced_snippet";
  auto check = validate_rules_schema(rules);
  if (!check.valid) throw ConfigError(key, check.message);
  QueryPlan plan;
  if (has_advanced_rules(rules) && rules.contains("aggregate")) {
    const json& aggregate = rules["aggregate"];
    plan.aggregate = true;
    plan.description = "aggregate";
    plan.query = bson_from_json({{"pipeline", aggregate.value("pipeline", json::array())}}, key,
                                "aggregate.pipeline");
    plan.options =
        bson_from_json(aggregate_options(aggregate, default_batch_size), key, "aggregate");
    return plan;
  }
  json find = has_advanced_rules(rules) ? rules["find"] : json::object();
  plan.description = "find";
  plan.query = bson_from_json(find.value("filter", json::object()), key, "find.filter");
  plan.options = bson_from_json(find_options(find, default_batch_size), key, "find");
  return plan;
}

}  // namespace connectors::sources::mongodb
