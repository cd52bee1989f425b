#include "sync/basic_rules.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace connectors::sync {
namespace {

using nlohmann::json;

json rule(const std::string& id, const std::string& policy, const std::string& field,
          const std::string& op, const std::string& value, int order) {
  return {{"id", id}, {"policy", policy}, {"field", field}, {"rule", op}, {"value", value}, {"order", order}};
}

TEST(BasicRules, FirstMatchInOrderDecidesAndDefaultIncludes) {
  json filtering = {{"rules", json::array({rule("DEFAULT", "include", "_", "regex", ".*", 0),
                                           rule("b", "include", "title", "starts_with", "Keep", 2),
                                           rule("a", "exclude", "title", "contains", "secret", 1)})}};
  auto rules = BasicRules::from_filtering(filtering);
  EXPECT_FALSE(rules.should_ingest({{"title", "Keep this secret"}}));  // order 1 wins
  EXPECT_TRUE(rules.should_ingest({{"title", "Keep this"}}));
  EXPECT_TRUE(rules.should_ingest({{"title", "anything else"}}));    // no match: include
  EXPECT_TRUE(rules.should_ingest({{"other", "secret"}}));           // missing field: no match
}

TEST(BasicRules, NumbersRegexAndEquals) {
  json filtering = {{"rules", json::array({rule("n", "exclude", "size", ">", "100", 0),
                                           rule("r", "exclude", "path", "regex", "tmp/", 1),
                                           rule("e", "exclude", "ext", "equals", ".log", 2)})}};
  auto rules = BasicRules::from_filtering(filtering);
  EXPECT_FALSE(rules.should_ingest({{"size", 101}}));
  EXPECT_TRUE(rules.should_ingest({{"size", 99.5}}));
  EXPECT_FALSE(rules.should_ingest({{"path", "tmp/a.txt"}}));
  EXPECT_TRUE(rules.should_ingest({{"path", "x/tmp/a.txt"}}));  // anchored at the start, like re.match
  EXPECT_FALSE(rules.should_ingest({{"ext", ".log"}}));
  EXPECT_TRUE(rules.should_ingest({{"ext", ".logs"}}));
}

TEST(BasicRules, EmptyOrMissingRules) {
  EXPECT_TRUE(BasicRules::from_filtering(json::object()).empty());
  EXPECT_TRUE(BasicRules::from_filtering({{"rules", json::array({rule("DEFAULT", "include", "_", "regex", ".*", 0)})}}).empty());
}

TEST(BasicRules, MalformedRulesNameTheRule) {
  try {
    BasicRules::from_filtering({{"rules", json::array({rule("x1", "include", "f", "like", "v", 0)})}});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("x1"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("like"), std::string::npos);
  }
  EXPECT_THROW(BasicRules::from_filtering({{"rules", json::array({rule("x2", "include", "f", "regex", "(", 0)})}}),
               ConfigError);
}

}  // namespace
}  // namespace connectors::sync
