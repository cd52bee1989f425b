// The Network drive source's configuration: the framework's fields, labels,
// defaults and order, the seeds' defaults for a connector without them, and
// errors that name the field.
#include "sources/network_drive/network_drive_source.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "sources/registry.h"

namespace connectors::sources {
namespace {

using json = nlohmann::json;

std::pair<std::string, std::string> config_error(const json& values) {
  try {
    make_source("network_drive", values);
  } catch (const ConfigError& e) {
    return {e.key(), e.what()};
  }
  return {};
}

TEST(NetworkDriveSource, FieldsAsTheFrameworksDescriptor) {
  Schema schema = network_drive_descriptor().schema();
  std::vector<std::string> keys;
  for (const auto& f : schema) keys.push_back(f.key + "@" + std::to_string(f.order));
  EXPECT_EQ(keys,
            (std::vector<std::string>{"username@1", "password@2", "server_ip@3", "server_port@4",
                                      "drive_path@5", "use_text_extraction_service@9"}));
  json published = schema_to_json(schema);
  EXPECT_EQ(published["username"]["label"], "Username");
  EXPECT_EQ(published["username"]["value"], "admin");
  EXPECT_EQ(published["password"]["sensitive"], true);
  EXPECT_EQ(published["password"]["value"], "abc@123");
  EXPECT_EQ(published["server_ip"]["label"], "SMB IP");
  EXPECT_EQ(published["server_port"]["type"], "int");
  EXPECT_EQ(published["server_port"]["display"], "numeric");
  EXPECT_EQ(published["server_port"]["value"], 445);
  EXPECT_EQ(published["drive_path"]["label"], "SMB path");
  EXPECT_EQ(published["drive_path"]["value"], "Folder1");
  EXPECT_EQ(published["use_text_extraction_service"]["value"], false);
  EXPECT_EQ(published["use_text_extraction_service"]["display"], "toggle");
  EXPECT_TRUE(network_drive_descriptor().capabilities.advanced_rules);
}

TEST(NetworkDriveSource, AConnectorWithoutFieldsTakesTheSeedsDefaults) {
  EXPECT_NE(make_source("network_drive", json::object()), nullptr);  // connects only when used
}

TEST(NetworkDriveSource, BadValuesNameTheirField) {
  auto [key, what] = config_error({{"drive_path", "/Folder1"}});
  EXPECT_EQ(key, "drive_path");
  EXPECT_EQ(what, "drive_path: SMB Path:/Folder1 should not start with '/' in the beginning.");
  EXPECT_EQ(config_error({{"drive_path", "\\Folder1"}}).first, "drive_path");
  EXPECT_EQ(config_error({{"server_port", 0}}).first, "server_port");
  EXPECT_EQ(config_error({{"server_port", 70000}}).first, "server_port");
  EXPECT_EQ(config_error({{"server_ip", ""}}).first, "server_ip");
  auto [pkey, pwhat] = config_error({{"password", ""}});
  EXPECT_EQ(pkey, "password");
}

TEST(NetworkDriveSource, AdvancedRulesAreValidatedWithTheFrameworksMessage) {
  auto source = make_source("network_drive", json::object());
  AdvancedRules* rules = source->advanced_rules();
  ASSERT_NE(rules, nullptr);
  auto result = rules->validate_advanced_rules(json::parse(R"([{"pattern": "/a/*"}])"), {});
  EXPECT_FALSE(result.valid);
  EXPECT_NE(result.message.find("Incorrect path: {'/a/*'}"), std::string::npos);
  EXPECT_THROW(rules->set_advanced_rules(json::parse(R"([{"pattern": ""}])")), ConfigError);
}

}  // namespace
}  // namespace connectors::sources
