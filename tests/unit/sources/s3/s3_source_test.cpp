// The S3 source's configuration: the framework's fields in HEAD's order, ours
// after them, the credentials (both fields, neither → the chain, one alone is
// an error), bounds named by field, and the addressing of buckets.
#include "sources/s3/s3_source.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "sources/s3/aws_credentials.h"
#include "sources/s3/s3_client.h"

namespace connectors::sources {
namespace {

using json = nlohmann::json;

s3::AwsEnvironment empty_environment() {
  return {[](const std::string& name) -> std::optional<std::string> {
            if (name == "HOME") return std::string("/nonexistent-home");
            return std::nullopt;
          },
          [](const std::string&) -> std::optional<std::string> { return std::nullopt; }};
}

std::unique_ptr<Source> make(const json& values) {
  return s3::make_source(Configuration(s3_descriptor().schema(), values), empty_environment());
}

// The ConfigError of `values`, "" when the source is made.
std::pair<std::string, std::string> config_error(const json& values) {
  try {
    make(values);
  } catch (const ConfigError& e) {
    return {e.key(), e.what()};
  }
  return {};
}

TEST(S3Source, FieldsInTheFrameworksOrder) {
  Schema schema = s3_descriptor().schema();
  std::vector<std::string> keys;
  for (const auto& f : schema) keys.push_back(f.key + "@" + std::to_string(f.order));
  EXPECT_EQ(keys, (std::vector<std::string>{"buckets@1", "aws_access_key_id@2",
                                            "aws_secret_access_key@3", "read_timeout@4",
                                            "connect_timeout@5", "max_attempts@6", "page_size@7",
                                            "use_text_extraction_service@8", "endpoint_url@9"}));
  json published = schema_to_json(schema);
  EXPECT_EQ(published["buckets"]["label"], "AWS Buckets");
  EXPECT_EQ(published["buckets"]["type"], "list");
  EXPECT_EQ(published["aws_secret_access_key"]["sensitive"], true);
  EXPECT_EQ(published["aws_access_key_id"]["sensitive"], false);
  EXPECT_EQ(published["page_size"]["default_value"], 100);
  EXPECT_EQ(published["read_timeout"]["value"], 90);
  EXPECT_EQ(published["max_attempts"]["label"], "Maximum retry attempts");
  EXPECT_EQ(published["use_text_extraction_service"]["value"], false);
  EXPECT_TRUE(s3_descriptor().capabilities.advanced_rules);
}

TEST(S3Source, KeysFromTheConfigurationOrAnErrorSayingWhereItLooked) {
  EXPECT_NE(make({{"buckets", "b"}, {"aws_access_key_id", "AKID"}, {"aws_secret_access_key", "s"}}),
            nullptr);
  auto [key, message] = config_error({{"buckets", "b"}});
  EXPECT_EQ(key, "aws_access_key_id");
  EXPECT_NE(message.find("/nonexistent-home/.aws/credentials [default]"), std::string::npos)
      << message;
  EXPECT_NE(message.find("AWS_ACCESS_KEY_ID"), std::string::npos) << message;

  auto half = config_error({{"buckets", "b"}, {"aws_access_key_id", "AKID"}});
  EXPECT_EQ(half.first, "aws_secret_access_key");
  auto other_half = config_error({{"buckets", "b"}, {"aws_secret_access_key", "topsecret"}});
  EXPECT_EQ(other_half.first, "aws_access_key_id");
  EXPECT_EQ(other_half.second.find("topsecret"), std::string::npos);
}

TEST(S3Source, BoundsNameTheField) {
  json ok = {{"buckets", "b"}, {"aws_access_key_id", "A"}, {"aws_secret_access_key", "s"}};
  json values = ok;
  values["page_size"] = 0;
  EXPECT_EQ(config_error(values).first, "page_size");
  values = ok;
  values["max_attempts"] = -1;
  EXPECT_EQ(config_error(values).first, "max_attempts");
  values = ok;
  values["read_timeout"] = 0;
  EXPECT_EQ(config_error(values).first, "read_timeout");
  values = ok;
  values["buckets"] = "";
  EXPECT_EQ(config_error(values).first, "buckets");
}

TEST(S3Source, BucketAddressing) {
  auto hosted = s3::bucket_address("", "ent-search-ingest-dev", "us-west-2");
  EXPECT_EQ(hosted.base_url, "https://ent-search-ingest-dev.s3.us-west-2.amazonaws.com");
  EXPECT_EQ(hosted.bucket_path, "");
  auto dotted = s3::bucket_address("", "my.bucket", "eu-west-1");
  EXPECT_EQ(dotted.base_url, "https://s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(dotted.bucket_path, "/my.bucket");
  auto custom = s3::bucket_address("http://127.0.0.1:9000", "b", "us-east-1");
  EXPECT_EQ(custom.base_url, "http://127.0.0.1:9000");
  EXPECT_EQ(custom.bucket_path, "/b");
}

}  // namespace
}  // namespace connectors::sources
