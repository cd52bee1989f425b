// Basic sync rules (the connector's filtering `rules`), applied by the engine
// to every document as the Python framework does: rules in `order`, the first
// that matches decides (include or exclude), no match includes; the DEFAULT
// rule is ignored. `regex` rules are Python `re` patterns applied with
// re.match (see python_regex.h), compiled once when the rules are read.
// Immutable once built; safe to share between threads.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sync/python_regex.h"

namespace connectors::sync {

struct BasicRule {
  std::string id;
  bool include = true;
  std::string field;
  std::string rule;  // equals, contains, starts_with, ends_with, regex, >, <
  std::string value;
  int order = 0;
};

class BasicRules {
 public:
  BasicRules() = default;
  // From a filtering object ({rules: [...], validation: {state}}). Throws
  // ConfigError naming the rule when one is malformed or its regex does not
  // compile (with PCRE2's message and the offset in the pattern).
  static BasicRules from_filtering(const nlohmann::json& filtering);

  bool empty() const { return rules_.empty(); }
  // Whether a document with these top-level fields is to be indexed. Throws
  // ConfigError naming the rule (and the document's `id` field) when a regex
  // match hits PCRE2's limits.
  bool should_ingest(const nlohmann::json& fields) const;

 private:
  struct Compiled {
    BasicRule rule;
    std::shared_ptr<const PythonRegex> regex;  // for rule == "regex"
  };
  static bool matches(const Compiled& rule, const nlohmann::json& value);
  std::vector<Compiled> rules_;
};

}  // namespace connectors::sync
