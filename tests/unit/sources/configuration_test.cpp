#include "sources/configuration.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace connectors::sources {
namespace {

Schema schema() {
  Field host = make_field("host", "Host");
  host.value = "127.0.0.1";
  host.order = 1;
  Field port = make_field("port", "Port");
  port.type = FieldType::kInt;
  port.display = Display::kNumeric;
  port.value = 5432;
  port.order = 2;
  port.validations = {{"greater_than", 0}};
  Field password = make_field("password", "Password");
  password.sensitive = true;
  password.order = 3;
  Field tables = make_field("tables", "Tables");
  tables.type = FieldType::kList;
  tables.value = "*";
  tables.order = 4;
  Field ssl = make_field("ssl_enabled", "Enable SSL");
  ssl.type = FieldType::kBool;
  ssl.display = Display::kToggle;
  ssl.value = false;
  ssl.order = 5;
  Field ca = make_field("ssl_ca", "SSL certificate");
  ca.depends_on = {{"ssl_enabled", true}};
  ca.order = 6;
  Field fetch = make_field("fetch_size", "Rows fetched per request");
  fetch.type = FieldType::kInt;
  fetch.required = false;
  fetch.default_value = 50;
  fetch.value = "";
  fetch.order = 7;
  return {host, port, password, tables, ssl, ca, fetch};
}

TEST(SourceConfiguration, PublishesTheFrameworksFieldShape) {
  json published = schema_to_json(schema());
  const json& port = published["port"];
  EXPECT_EQ(port["label"], "Port");
  EXPECT_EQ(port["type"], "int");
  EXPECT_EQ(port["display"], "numeric");
  EXPECT_EQ(port["value"], 5432);
  EXPECT_EQ(port["order"], 2);
  EXPECT_EQ(port["required"], true);
  EXPECT_EQ(port["sensitive"], false);
  EXPECT_TRUE(port["tooltip"].is_null());
  EXPECT_TRUE(port["default_value"].is_null());
  EXPECT_EQ(port["validations"][0]["type"], "greater_than");
  EXPECT_EQ(published["password"]["sensitive"], true);
  EXPECT_EQ(published["ssl_ca"]["depends_on"][0]["field"], "ssl_enabled");
  EXPECT_EQ(published["ssl_ca"]["depends_on"][0]["value"], true);
  for (const char* key :
       {"default_value", "depends_on", "display", "label", "options", "order", "required",
        "sensitive", "tooltip", "type", "ui_restrictions", "validations", "value"}) {
    EXPECT_TRUE(published["host"].contains(key)) << key;
  }
}

TEST(SourceConfiguration, ReadsConnectorValuesWithCasts) {
  json connector = {{"host", {{"value", "db.local"}}},    {"port", {{"value", "6543"}}},
                    {"password", {{"value", "pw"}}},      {"tables", {{"value", "a, b ,c"}}},
                    {"ssl_enabled", {{"value", "true"}}}, {"ssl_ca", {{"value", "PEM"}}}};
  Configuration c(schema(), connector);
  EXPECT_EQ(c.str("host"), "db.local");
  EXPECT_EQ(c.integer("port"), 6543);
  EXPECT_EQ(c.list("tables"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(c.boolean("ssl_enabled"));
  EXPECT_EQ(c.integer("fetch_size"), 50);  // optional and empty: default_value
  EXPECT_EQ(c.secret("password").reveal(), "pw");
  EXPECT_NO_THROW(c.validate());
}

TEST(SourceConfiguration, FlatValuesAndSchemaDefaults) {
  Configuration c(schema(), json{{"password", "x"}});
  EXPECT_EQ(c.str("host"), "127.0.0.1");
  EXPECT_EQ(c.integer("port"), 5432);
  EXPECT_EQ(c.list("tables"), (std::vector<std::string>{"*"}));
}

TEST(SourceConfiguration, ValidateNamesEveryBadField) {
  json connector = {{"host", ""}, {"port", "abc"}, {"password", ""}};
  Configuration c(schema(), connector);
  try {
    c.validate();
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    std::string text = e.what();
    EXPECT_EQ(e.key(), "host");
    EXPECT_NE(text.find("'Host' (host) cannot be empty"), std::string::npos) << text;
    EXPECT_NE(text.find("(port) must be an integer"), std::string::npos) << text;
    EXPECT_NE(text.find("(password) cannot be empty"), std::string::npos) << text;
    EXPECT_EQ(text.find("ssl_ca"), std::string::npos)
        << "a field whose dependency is off is not checked";
  }
}

TEST(SourceConfiguration, DependentFieldCheckedWhenActive) {
  Configuration c(schema(), json{{"password", "x"}, {"ssl_enabled", true}});
  EXPECT_THROW(c.validate(), ConfigError);
}

TEST(SourceConfiguration, Validations) {
  Configuration c(schema(), json{{"password", "x"}, {"port", -1}});
  EXPECT_THROW(c.validate(), ConfigError);
}

}  // namespace
}  // namespace connectors::sources
