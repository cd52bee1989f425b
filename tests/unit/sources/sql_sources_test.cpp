// name: SQL sources without a server
// description: the PostgreSQL and MySQL configuration fields as the framework
// publishes them (reference/sources.md §2.1-2.3; no test-fixture values, as its
// main branch), config errors naming the field, the drivers' type mappings and the
// advanced-rules schema.
#include <gtest/gtest.h>

#include <cstring>

#include "core/errors.h"
#include "sources/mysql/mysql_connection.h"
#include "sources/mysql/mysql_source.h"
#include "sources/postgresql/pg_values.h"
#include "sources/postgresql/postgresql_source.h"
#include "sources/registry.h"
#include "sources/sql/advanced_rules.h"

namespace connectors::sources {
namespace {

using json = nlohmann::json;

struct Expected {
  const char* key;
  const char* label;
  const char* type;
  const char* display;
  json value;
  bool required;
  bool sensitive;
  int order;
  json default_value;
  json depends_on;
  json ui_restrictions;
};

void expect_fields(const Schema& schema, const std::vector<Expected>& expected) {
  json published = schema_to_json(schema);
  ASSERT_EQ(published.size(), expected.size());
  for (const auto& e : expected) {
    SCOPED_TRACE(e.key);
    ASSERT_TRUE(published.contains(e.key));
    const json& f = published[e.key];
    EXPECT_EQ(f["label"], e.label);
    EXPECT_EQ(f["type"], e.type);
    EXPECT_EQ(f["display"], e.display);
    EXPECT_EQ(f["value"], e.value);
    EXPECT_EQ(f["required"], e.required);
    EXPECT_EQ(f["sensitive"], e.sensitive);
    EXPECT_EQ(f["order"], e.order);
    EXPECT_EQ(f["default_value"], e.default_value);
    EXPECT_EQ(f["depends_on"], e.depends_on);
    EXPECT_EQ(f["ui_restrictions"], e.ui_restrictions);
    EXPECT_EQ(f["options"], json::array());
    EXPECT_EQ(f["validations"], json::array());
    EXPECT_EQ(f["tooltip"], nullptr);
  }
}

const json kNone = json::array();
const json kAdvanced = json::array({"advanced"});
const json kNeedsSsl = json::parse(R"([{"field": "ssl_enabled", "value": true}])");

TEST(PostgresqlSchema, PublishesTheFrameworksFields) {
  expect_fields(
      postgresql_schema(),
      {
          {"host", "Host", "str", "text", "", true, false, 1, nullptr, kNone, kNone},
          {"port", "Port", "int", "numeric", "", true, false, 2, nullptr, kNone, kNone},
          {"username", "Username", "str", "text", "", true, false, 3, nullptr, kNone, kNone},
          {"password", "Password", "str", "text", "", true, true, 4, nullptr, kNone, kNone},
          {"database", "Database", "str", "text", "", true, false, 5, nullptr, kNone, kNone},
          {"tables", "Comma-separated list of tables", "list", "textarea", "*", true, false, 6,
           nullptr, kNone, kNone},
          {"fetch_size", "Rows fetched per request", "int", "numeric", 50, false, false, 7, 50,
           kNone, kAdvanced},
          {"retry_count", "Retries per request", "int", "numeric", 3, false, false, 8, 3, kNone,
           kAdvanced},
          {"ssl_enabled", "Enable SSL verification", "bool", "toggle", false, true, false, 9,
           nullptr, kNone, kNone},
          {"ssl_ca", "SSL certificate", "str", "text", "", true, false, 10, nullptr, kNeedsSsl,
           kNone},
      });
}

TEST(MysqlSchema, PublishesTheFrameworksFields) {
  expect_fields(
      mysql_schema(),
      {
          {"host", "Host", "str", "text", "", true, false, 1, nullptr, kNone, kNone},
          {"port", "Port", "int", "numeric", "", true, false, 2, nullptr, kNone, kNone},
          {"user", "Username", "str", "text", "", true, false, 3, nullptr, kNone, kNone},
          {"password", "Password", "str", "text", "", true, true, 4, nullptr, kNone, kNone},
          {"database", "Database", "str", "text", "", true, false, 5, nullptr, kNone, kNone},
          {"tables", "Comma-separated list of tables", "list", "textarea", "*", true, false, 6,
           nullptr, kNone, kNone},
          {"ssl_enabled", "Enable SSL", "bool", "toggle", false, true, false, 7, nullptr, kNone,
           kNone},
          {"ssl_ca", "SSL certificate", "str", "text", "", true, false, 8, nullptr, kNeedsSsl,
           kNone},
          {"fetch_size", "Rows fetched per request", "int", "numeric", 50, false, false, 9, 50,
           kNone, kAdvanced},
          {"retry_count", "Retries per request", "int", "numeric", 3, false, false, 10, 3, kNone,
           kAdvanced},
      });
}

// Every required field of a SQL source, set.
json complete(const std::string& type, json overrides = json::object()) {
  json values = {{"host", "db.local"},
                 {"port", 5432},
                 {type == "mysql" ? "user" : "username", "reader"},
                 {"password", "pw"},
                 {"database", "shop"}};
  values.update(overrides);
  return values;
}

// make_source's ConfigError key for `overrides` of a complete configuration,
// or "" when it is accepted.
std::string rejected_key(const std::string& type, const json& overrides) {
  try {
    make_source(type, complete(type, overrides));
  } catch (const ConfigError& e) {
    return e.key();
  }
  return "";
}

TEST(SqlSourceConfig, CompleteValuesAreAcceptedWithoutConnecting) {
  EXPECT_EQ(rejected_key("postgresql", json::object()), "");
  EXPECT_EQ(rejected_key("mysql", json::object()), "");
  auto source = make_source(
      "mysql", complete("mysql", {{"tables", "orders, customers"}, {"fetch_size", ""}}));
  EXPECT_NE(source->advanced_rules(), nullptr);
}

TEST(SqlSourceConfig, BadValuesNameTheirField) {
  for (const char* type : {"postgresql", "mysql"}) {
    SCOPED_TRACE(type);
    EXPECT_EQ(rejected_key(type, {{"host", ""}}), "host");
    EXPECT_EQ(rejected_key(type, {{"port", "fifty"}}), "port");
    EXPECT_EQ(rejected_key(type, {{"port", 70000}}), "port");
    EXPECT_EQ(rejected_key(type, {{"fetch_size", 0}}), "fetch_size");
    EXPECT_EQ(rejected_key(type, {{"retry_count", -1}}), "retry_count");
    EXPECT_EQ(rejected_key(type, {{"tables", "*, orders"}}), "tables");
    EXPECT_EQ(rejected_key(type, {{"tables", ""}}), "tables");
    EXPECT_EQ(rejected_key(type, {{"ssl_enabled", true}}),
              "ssl_ca");  // the certificate becomes required
    EXPECT_EQ(rejected_key(type, {{"ssl_enabled", "maybe"}}), "ssl_enabled");
  }
  EXPECT_EQ(rejected_key("postgresql", {{"username", ""}}), "username");
  EXPECT_EQ(rejected_key("mysql", {{"user", ""}}), "user");
}

TEST(SqlSourceConfig, EmptyOptionalNumbersUseTheirDefaults) {
  Configuration c(postgresql_schema(), {{"fetch_size", ""}, {"retry_count", nullptr}});
  EXPECT_EQ(c.integer("fetch_size"), 50);
  EXPECT_EQ(c.integer("retry_count"), 3);
}

TEST(SqlSourceConfig, AdvancedRulesFailingTheSchemaAreRefused) {
  auto source = make_source("postgresql", complete("postgresql"));
  auto* rules = source->advanced_rules();
  ASSERT_NE(rules, nullptr);
  EXPECT_THROW(rules->set_advanced_rules(json::parse(R"([{"query": "SELECT 1"}])")), ConfigError);
  EXPECT_NO_THROW(rules->set_advanced_rules(json::object()));
}

TEST(PostgresqlValues, BuiltInTypesConvertAsAsyncpgDecodesThem) {
  using postgresql::builtin_type;
  auto none = [](Oid) { return postgresql::TypeInfo{}; };
  auto conv = [&](std::string_view text, Oid oid) {
    return sql::to_json(postgresql::convert(text, *builtin_type(oid), none));
  };
  EXPECT_EQ(conv("t", 16), json(true));
  EXPECT_EQ(conv("9007199254740993", 20), json(9007199254740993LL));
  EXPECT_EQ(conv("1.1", 700).dump(), "1.100000023841858");  // float4 widened
  EXPECT_EQ(conv("1.1", 701).dump(), "1.1");
  EXPECT_EQ(conv("Infinity", 701), json(nullptr));
  EXPECT_EQ(conv("1234.500", 1700), json(1234.5));
  EXPECT_EQ(conv("ab   ", 1042), json("ab   "));
  EXPECT_EQ(conv("\\x00ff41", 17), json("AP9B"));  // not UTF-8: base64
  EXPECT_EQ(conv("\\x686921", 17), json("hi!"));   // UTF-8: the text
  EXPECT_EQ(conv("1234567890123456789012345678.0123456789", 1700),
            json("1234567890123456789012345678.0123456789"));
  EXPECT_EQ(conv("2023-05-10", 1082), json("2023-05-10"));
  EXPECT_EQ(conv("infinity", 1082), json("9999-12-31"));
  EXPECT_EQ(conv("0044-03-15 BC", 1082), json("0044-03-15 BC"));
  EXPECT_EQ(conv("2023-05-10 12:34:56.789", 1114), json("2023-05-10T12:34:56.789000"));
  EXPECT_EQ(conv("-infinity", 1114), json("0001-01-01T00:00:00"));
  EXPECT_EQ(conv("2023-05-10 10:34:56+00", 1184), json("2023-05-10T10:34:56+00:00"));
  EXPECT_EQ(conv("08:09:10.5+05:30", 1266), json("08:09:10.500000+05:30"));
  EXPECT_FALSE(builtin_type(3802).has_value());  // jsonb: kept as the server's text
  EXPECT_EQ(sql::to_json(postgresql::convert("{\"a\": 1}", postgresql::TypeInfo{}, none)),
            json("{\"a\": 1}"));
}

TEST(PostgresqlValues, CatalogResolvesArraysDomainsAndEnums) {
  postgresql::TypeCatalog catalog;
  EXPECT_EQ(catalog.unknown({23, 1007, 1007, 99999}), (std::vector<Oid>{1007, 99999}));
  // int4[] (element int4), a domain over int4[], an enum, a box[] (element box with ';').
  auto more = catalog.learn({{1007, 'b', 'A', 23, 0, ','},
                             {50001, 'd', 'A', 0, 1007, ','},
                             {50002, 'e', 'E', 0, 0, ','},
                             {1020, 'b', 'A', 603, 0, ';'}});
  EXPECT_EQ(more, (std::vector<Oid>{603}));
  catalog.learn({{603, 'b', 'G', 0, 0, ','}});
  auto info = [&](Oid oid) { return catalog.info(oid); };
  EXPECT_EQ(sql::to_json(postgresql::convert("{1,NULL,3}", catalog.info(1007), info)),
            json::parse("[1,null,3]"));
  EXPECT_EQ(sql::to_json(postgresql::convert("{{1,2},{3,4}}", catalog.info(50001), info)),
            json::parse("[[1,2],[3,4]]"));
  EXPECT_EQ(sql::to_json(postgresql::convert("happy", catalog.info(50002), info)), json("happy"));
  EXPECT_EQ(
      sql::to_json(postgresql::convert("{(1,1),(0,0);(2,2),(1,1)}", catalog.info(1020), info)),
      json::parse(R"j(["(1,1),(0,0)", "(2,2),(1,1)"])j"));
  EXPECT_NE(postgresql::TypeCatalog::catalog_query({1007, 603}).find("IN (1007,603)"),
            std::string::npos);
}

TEST(MysqlValues, ColumnTypesConvertAsPymysqlDecodesThem) {
  auto conv = [](const char* text, enum_field_types type, unsigned int charset = 45) {
    return sql::to_json(mysql::convert(text, text ? std::strlen(text) : 0, {"c", type, charset}));
  };
  EXPECT_EQ(conv(nullptr, MYSQL_TYPE_LONG), json(nullptr));
  EXPECT_EQ(conv("1", MYSQL_TYPE_TINY), json(1));  // BOOL is TINYINT(1): an int
  EXPECT_EQ(conv("18446744073709551615", MYSQL_TYPE_LONGLONG).dump(), "18446744073709551615");
  EXPECT_EQ(conv("1234.500", MYSQL_TYPE_NEWDECIMAL), json(1234.5));
  EXPECT_EQ(conv("1234567890123456789012345678.0123456789", MYSQL_TYPE_NEWDECIMAL),
            json("1234567890123456789012345678.0123456789"));
  EXPECT_EQ(conv("1.1", MYSQL_TYPE_FLOAT).dump(), "1.1");
  EXPECT_EQ(conv("2023-05-10", MYSQL_TYPE_DATE), json("2023-05-10"));
  EXPECT_EQ(conv("0000-00-00", MYSQL_TYPE_DATE), json("0000-00-00"));
  EXPECT_EQ(conv("2023-05-10 12:34:56.000", MYSQL_TYPE_DATETIME), json("2023-05-10T12:34:56"));
  EXPECT_EQ(conv("838:59:59", MYSQL_TYPE_TIME), json("838:59:59"));
  EXPECT_EQ(conv("2023", MYSQL_TYPE_YEAR), json(2023));
  EXPECT_EQ(conv("{\"a\": 1}", MYSQL_TYPE_JSON), json("{\"a\": 1}"));
  EXPECT_EQ(conv("h\xc3\xa9", MYSQL_TYPE_BLOB), json("h\xc3\xa9"));  // TEXT
  EXPECT_EQ(sql::to_json(mysql::convert("\x00\xff"
                                        "A",
                                        3, {"c", MYSQL_TYPE_BLOB, 63})),
            json("AP9B"));  // BLOB: bytes, not UTF-8: base64
  EXPECT_EQ(conv("\x80\x81\x82\xff", MYSQL_TYPE_BLOB, 63), json("gIGC/w=="));
  EXPECT_EQ(conv("hi", MYSQL_TYPE_STRING, 63), json("hi"));  // BINARY(2) of UTF-8 bytes
  EXPECT_EQ(sql::python_str(mysql::convert("\x05", 1, {"c", MYSQL_TYPE_BIT, 63})), "b'\\x05'");
  EXPECT_EQ(sql::to_json(mysql::convert("\x01\x00", 2, {"c", MYSQL_TYPE_BIT, 63})), json(256));
}

}  // namespace
}  // namespace connectors::sources
