#include "sources/s3/s3_rules.h"

#include <algorithm>

#include "core/errors.h"

namespace connectors::sources::s3 {
namespace {

using json = nlohmann::json;

// The first schema failure of one rule, in fastjsonschema's words, or "".
std::string rule_problem(const json& rule, const std::string& at) {
  if (!rule.is_object()) return at + " must be object";
  if (!rule.contains("bucket")) return at + " must contain ['bucket'] properties";
  const json& bucket = rule["bucket"];
  if (!bucket.is_string()) return at + ".bucket must be string";
  if (bucket.get<std::string>().empty()) {
    return at + ".bucket must be longer than or equal to 1 characters";
  }
  if (rule.contains("prefix") && !rule["prefix"].is_string()) return at + ".prefix must be string";
  if (rule.contains("extension") && !rule["extension"].is_array()) {
    return at + ".extension must be array";
  }
  std::string extra;
  for (const auto& [key, unused] : rule.items()) {
    if (key == "bucket" || key == "prefix" || key == "extension") continue;
    extra += (extra.empty() ? "'" : ", '") + key + "'";
  }
  if (!extra.empty()) return at + " must not contain {" + extra + "} properties";
  return "";
}

}  // namespace

RulesValidation validate_rules(const json& value) {
  if (value.is_null() || (value.is_array() && value.empty())) return {};
  if (!value.is_array()) return {false, "data must be array"};
  for (size_t i = 0; i < value.size(); ++i) {
    std::string problem = rule_problem(value[i], "data[" + std::to_string(i) + "]");
    if (!problem.empty()) return {false, problem};
  }
  return {};
}

std::vector<S3Rule> parse_rules(const json& value) {
  RulesValidation check = validate_rules(value);
  if (!check.valid) throw ConfigError("advanced_snippet", "s3 advanced rule: " + check.message);
  std::vector<S3Rule> rules;
  if (!value.is_array()) return rules;
  for (const json& rule : value) {
    S3Rule out{rule["bucket"].get<std::string>(), rule.value("prefix", std::string()), {}};
    for (const json& extension : rule.value("extension", json::array())) {
      // The framework compares with `in`: a non-string entry never matches.
      if (extension.is_string()) out.extensions.push_back(extension.get<std::string>());
    }
    rules.push_back(std::move(out));
  }
  return rules;
}

std::string python_extension(std::string_view key) {
  size_t slash = key.rfind('/');
  std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "";
  // Leading dots of the name (".bashrc", "..x") are not an extension.
  if (name.find_first_not_of('.') == std::string_view::npos || dot < name.find_first_not_of('.')) {
    return "";
  }
  return std::string(name.substr(dot));
}

bool extension_selected(const S3Rule& rule, std::string_view key) {
  if (rule.extensions.empty()) return true;
  std::string extension = python_extension(key);
  return std::find(rule.extensions.begin(), rule.extensions.end(), extension) !=
         rule.extensions.end();
}

}  // namespace connectors::sources::s3
