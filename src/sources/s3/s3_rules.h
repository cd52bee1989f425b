// Advanced sync rules of the S3 source, as the framework's S3AdvancedRulesValidator
// (8.9+) defines them: a list of {"bucket": non-empty string, "prefix": string,
// "extension": [".pdf", ...]}, "bucket" required, no other keys. Validation
// answers with fastjsonschema's message for the first failure ("data[1] must
// contain ['bucket'] properties"). Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sources/source.h"

namespace connectors::sources::s3 {

struct S3Rule {
  std::string bucket;
  std::string prefix;
  std::vector<std::string> extensions;  // empty: every object under the prefix
};

// The schema check ([] or null: no rules, valid).
RulesValidation validate_rules(const nlohmann::json& value);

// The rules of a valid value; throws ConfigError (key "advanced_snippet") with
// the validation message otherwise.
std::vector<S3Rule> parse_rules(const nlohmann::json& value);

// os.path.splitext(key)[1], which the rules' "extension" lists are compared
// with as they are (".pdf", case as written): the last dot of the last path
// segment, not a leading one.
std::string python_extension(std::string_view key);

// Whether `key` is selected by `rule`'s extensions (its prefix is the listing's).
bool extension_selected(const S3Rule& rule, std::string_view key);

}  // namespace connectors::sources::s3
