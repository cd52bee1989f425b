#include "sources/network_drive/smb_rules.h"

#include <algorithm>
#include <set>

#include "core/errors.h"
#include "core/glob.h"

namespace connectors::sources::smb {
namespace {

// fastjsonschema's message for the first schema failure, or "".
std::string schema_message(const nlohmann::json& value) {
  if (!value.is_array()) return "data must be array";
  for (size_t i = 0; i < value.size(); ++i) {
    const auto& rule = value[i];
    std::string at = "data[" + std::to_string(i) + "]";
    if (!rule.is_object()) return at + " must be object";
    for (const auto& [key, _] : rule.items()) {
      if (key != "pattern") return at + " must not contain {'" + key + "'} properties";
    }
    if (!rule.contains("pattern")) return at + " must contain ['pattern'] properties";
    if (!rule["pattern"].is_string()) return at + ".pattern must be string";
    if (rule["pattern"].get<std::string>().empty()) {
      return at + ".pattern must be longer than or equal to 1 characters";
    }
  }
  return "";
}

}  // namespace

RulesValidation validate_rules(const nlohmann::json& value) {
  if (value.is_null() || (value.is_array() && value.empty())) return {};
  std::string message = schema_message(value);
  if (!message.empty()) return {false, message};
  std::set<std::string> slashed;  // Python prints the set: {'/a', '/b'}
  for (const auto& rule : value) {
    std::string pattern = rule["pattern"].get<std::string>();
    if (pattern.starts_with("/")) slashed.insert(pattern);
  }
  if (!slashed.empty()) {
    std::string set;
    for (const auto& pattern : slashed) set += (set.empty() ? "'" : ", '") + pattern + "'";
    return {false,
            "SMB Path should not start with '/' in the beginning. Incorrect path: {" + set + "}"};
  }
  return {};
}

std::vector<std::string> parse_rules(const nlohmann::json& value) {
  RulesValidation validation = validate_rules(value);
  if (!validation.valid) throw ConfigError("advanced_snippet", validation.message);
  std::vector<std::string> patterns;
  if (value.is_null()) return patterns;
  for (const auto& rule : value) {
    std::string pattern = rule["pattern"].get<std::string>();
    std::replace(pattern.begin(), pattern.end(), '\\', '/');
    patterns.push_back(std::move(pattern));
  }
  return patterns;
}

std::string base_path(const std::string& pattern) {
  size_t wildcard = pattern.find_first_of("*?[{!^");
  if (wildcard == std::string::npos) return pattern;
  std::string head = pattern.substr(0, wildcard);
  size_t slash = head.rfind('/');
  return slash == std::string::npos ? head : head.substr(0, slash);
}

bool pattern_matches(const std::string& pattern, const std::string& path) {
  return glob_match(pattern, path);
}

}  // namespace connectors::sources::smb
