// name: SQL advanced sync rules
// description: custom-query rules validated as the framework's validator does
// (fastjsonschema's first message, naming the rule by index; then the tables).
#include <gtest/gtest.h>

#include "core/errors.h"
#include "sources/sql/advanced_rules.h"

namespace connectors::sources::sql {
namespace {

using json = nlohmann::json;

std::string problem(const char* rules) { return validate_rules_schema(json::parse(rules)).message; }

TEST(SqlAdvancedRules, EmptyValuesMeanNoRules) {
  EXPECT_FALSE(has_advanced_rules(json::object()));
  EXPECT_FALSE(has_advanced_rules(json::array()));
  EXPECT_FALSE(has_advanced_rules(nullptr));
  EXPECT_TRUE(validate_rules_schema(json::object()).valid);
  EXPECT_TRUE(parse_custom_queries(json::object()).empty());
}

TEST(SqlAdvancedRules, GoodRulesParse) {
  auto queries = parse_custom_queries(json::parse(R"j([
    {"tables": ["orders", "customers"], "query": "SELECT * FROM orders JOIN customers USING (cid)"},
    {"tables": ["logs"], "query": "SELECT * FROM logs", "id_columns": ["ts", "host"]}])j"));
  ASSERT_EQ(queries.size(), 2u);
  EXPECT_EQ(queries[0].tables, (std::vector<std::string>{"orders", "customers"}));
  EXPECT_TRUE(queries[0].id_columns.empty());
  EXPECT_EQ(queries[1].id_columns, (std::vector<std::string>{"ts", "host"}));
}

TEST(SqlAdvancedRules, SchemaMessagesNameTheRule) {
  EXPECT_EQ(problem(R"({"tables": ["a"]})"), "data must be array");
  EXPECT_EQ(problem(R"(["SELECT 1"])"), "data[0] must be object");
  EXPECT_EQ(problem(R"([{"tables": ["a"], "query": "q"}, {"tables": ["a"]}])"),
            "data[1] must contain ['query'] properties");
  EXPECT_EQ(problem(R"([{}])"), "data[0] must contain ['query', 'tables'] properties");
  EXPECT_EQ(problem(R"([{"tables": "a", "query": "q"}])"), "data[0].tables must be array");
  EXPECT_EQ(problem(R"([{"tables": [], "query": "q"}])"),
            "data[0].tables must contain at least 1 items");
  EXPECT_EQ(problem(R"([{"tables": ["a"], "query": 7}])"), "data[0].query must be string");
  EXPECT_EQ(problem(R"([{"tables": ["a"], "query": ""}])"),
            "data[0].query must be longer than or equal to 1 characters");
  EXPECT_EQ(problem(R"([{"tables": ["a"], "query": "q", "id_columns": []}])"),
            "data[0].id_columns must contain at least 1 items");
  EXPECT_EQ(problem(R"([{"tables": ["a"], "query": "q", "database": "x"}])"),
            "data[0] must not contain {'database'} properties");
}

TEST(SqlAdvancedRules, ParseRefusesWhatTheSchemaRefuses) {
  try {
    parse_custom_queries(json::parse(R"([{"tables": ["a"], "query": ""}])"));
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "advanced_snippet");
    EXPECT_NE(std::string(e.what()).find("data[0].query"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_custom_queries(json::parse(R"([{"tables": [1], "query": "q"}])")),
               ConfigError);
}

TEST(SqlAdvancedRules, MissingTablesAreListedSorted) {
  auto queries = parse_custom_queries(json::parse(R"([
    {"tables": ["orders", "zeta"], "query": "q"}, {"tables": ["alpha", "orders"], "query": "q"}])"));
  auto exists = [](const std::string& t) { return t == "orders"; };
  auto result = validate_rule_tables(queries, exists);
  EXPECT_FALSE(result.valid);
  EXPECT_EQ(result.message, "Tables not found or inaccessible: alpha, zeta.");
  EXPECT_TRUE(validate_rule_tables(queries, [](const std::string&) { return true; }).valid);
}

}  // namespace
}  // namespace connectors::sources::sql
