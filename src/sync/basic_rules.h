// Basic sync rules (the connector's filtering `rules`), applied by the engine
// to every document as the Python framework does: rules in `order`, the first
// that matches decides (include or exclude), no match includes; the DEFAULT
// rule is ignored. Immutable once built; safe to share.
#pragma once

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

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
  // ConfigError naming the rule when one is malformed.
  static BasicRules from_filtering(const nlohmann::json& filtering);

  bool empty() const { return rules_.empty(); }
  // Whether a document with these top-level fields is to be indexed.
  bool should_ingest(const nlohmann::json& fields) const;

 private:
  struct Compiled {
    BasicRule rule;
    std::regex regex;  // for rule == "regex"
  };
  static bool matches(const Compiled& rule, const nlohmann::json& value);
  std::vector<Compiled> rules_;
};

}  // namespace connectors::sync
