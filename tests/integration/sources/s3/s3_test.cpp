// name: Amazon S3 source against a real S3 API
// description: MinIO (verifies every AWS Signature V4; reference/test-infra.md
// §2a), started for the suite by tests/servers/minio.sh; objects written with
// the HTTP client as an application would. Listing of several buckets with
// small pages, the framework's ids and fields, content, `*` buckets, advanced
// rules, wrong secret and unknown key, and a bucket that disappears: the sync
// fails and deletes nothing. A MinIO that cannot start fails the tests.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/errors.h"
#include "core/hash.h"
#include "http/client.h"
#include "sources/registry.h"
#include "sql_server_support.h"
#include "sync_support.h"

namespace connectors {
namespace {

using json = nlohmann::json;
using testing::CollectSink;
using testing::SqlServer;

SqlServer* server = nullptr;
std::string start_error;

http::Client& admin() {
  static http::Client client([] {
    http::ClientOptions o;
    o.base_url = (*server)["url"];
    o.aws_sigv4 = http::AwsSigV4{(*server)["region"], "s3", (*server)["user"],
                                 Secret((*server)["password"]), Secret()};
    return o;
  }());
  return client;
}

void make_bucket(const std::string& bucket) {
  http::Request create("PUT", "/" + bucket);
  create.accept = {409};
  admin().send(create);
}

void put(const std::string& bucket, const std::string& key, const std::string& body) {
  http::Request request("PUT", "/" + bucket + "/" + http::percent_encode(key, true));
  request.body = body;
  admin().send(request);
}

void remove(const std::string& bucket, const std::string& key) {
  admin().send({"DELETE", "/" + bucket + "/" + http::percent_encode(key, true)});
}

json config(json overrides = json::object()) {
  json values = {{"buckets", "s3-one,s3-two"},
                 {"aws_access_key_id", (*server)["user"]},
                 {"aws_secret_access_key", (*server)["password"]},
                 {"endpoint_url", (*server)["url"]},
                 {"page_size", 2},
                 {"max_attempts", 0}};
  values.update(overrides);
  return values;
}

CollectSink collect(const json& values, const json& rules = json::array()) {
  auto source = sources::make_source("s3", values);
  if (!rules.empty()) source->advanced_rules()->set_advanced_rules(rules);
  CollectSink sink;
  source->documents(sink, {});
  return sink;
}

class StringSink final : public sources::ContentSink {
 public:
  bool write(std::string_view bytes) override {
    text.append(bytes);
    return true;
  }
  std::string text;
};

const std::map<std::string, std::string> kOne = {{"folder/", ""},
                                                 {"folder/a.txt", "alpha"},
                                                 {"folder/b b+c.pdf", "not really a pdf"},
                                                 {"top.txt", "top level"},
                                                 {"deep/er/c.txt", "deep"}};

// One MinIO per suite (ctest runs each test in a process of its own), with
// the buckets of kOne.
void start_minio() {
  try {
    server = new SqlServer("minio");
    make_bucket("s3-one");
    make_bucket("s3-two");
    for (const auto& [key, body] : kOne) put("s3-one", key, body);
    put("s3-two", "two.txt", "second bucket");
  } catch (const std::exception& e) {
    start_error = e.what();
  }
}

void stop_minio() {
  delete server;
  server = nullptr;
}

class S3SourceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { start_minio(); }
  void SetUp() override {
    ASSERT_NE(server, nullptr) << "MinIO did not start: " << start_error;
    ASSERT_EQ(start_error, "");
  }
  static void TearDownTestSuite() { stop_minio(); }
};

TEST_F(S3SourceTest, EveryObjectOfEachBucketInSmallPagesWithTheFrameworksFields) {
  CollectSink sink = collect(config());
  std::map<std::string, sources::Document> by_id;
  for (auto& doc : sink.docs) by_id[doc.id] = std::move(doc);
  ASSERT_EQ(by_id.size(), kOne.size() + 1);
  for (const auto& [key, body] : kOne) {
    auto it = by_id.find(md5_hex("s3-one/" + key));
    ASSERT_NE(it, by_id.end()) << key;
    const auto& doc = it->second;
    EXPECT_EQ(doc.fields["filename"], key);
    EXPECT_EQ(doc.fields["bucket"], "s3-one");
    EXPECT_EQ(doc.fields["size_in_bytes"], static_cast<long long>(body.size()));
    EXPECT_EQ(doc.fields["storage_class"], "STANDARD");
    EXPECT_TRUE(doc.fields["owner"].is_string());
    EXPECT_EQ(doc.fields.size(), 5u) << doc.fields.dump();
    EXPECT_TRUE(doc.timestamp.ends_with("+00:00")) << doc.timestamp;
    EXPECT_EQ(doc.timestamp.size() == 25 || doc.timestamp.size() == 32, true) << doc.timestamp;
    StringSink content;
    doc.content.fetch(content, 1 << 20, {});
    EXPECT_EQ(content.text, body) << key;
  }
  EXPECT_EQ(by_id[md5_hex("s3-two/two.txt")].fields["bucket"], "s3-two");
  EXPECT_EQ(md5_hex("s3-one/top.txt").size(), 32u);
}

TEST_F(S3SourceTest, StarMeansEveryBucketTheKeyCanList) {
  CollectSink sink = collect(config({{"buckets", "*"}}));
  std::set<std::string> buckets;
  for (const auto& doc : sink.docs) buckets.insert(doc.fields["bucket"]);
  EXPECT_TRUE(buckets.count("s3-one") && buckets.count("s3-two"));
}

TEST_F(S3SourceTest, AdvancedRulesListUnderAPrefixWithExtensions) {
  json rules = json::parse(R"([{"bucket": "s3-one", "prefix": "folder/", "extension": [".pdf"]},
                               {"bucket": "s3-two"}])");
  auto source = sources::make_source("s3", config());
  EXPECT_TRUE(source->advanced_rules()->validate_advanced_rules(rules, {}).valid);
  auto invalid = source->advanced_rules()->validate_advanced_rules(
      json::parse(R"([{"bucket": "s3-one", "folder": "x"}])"), {});
  EXPECT_FALSE(invalid.valid);
  EXPECT_EQ(invalid.message, "data[0] must not contain {'folder'} properties");
  std::set<std::string> keys;
  for (const auto& doc : collect(config(), rules).docs) keys.insert(doc.fields["filename"]);
  EXPECT_EQ(keys, (std::set<std::string>{"folder/b b+c.pdf", "two.txt"}));
}

TEST_F(S3SourceTest, AWrongSecretNamesTheKeyIdAndNeverTheSecret) {
  const std::string wrong = "wrong-secret-51a7";
  auto source = sources::make_source("s3", config({{"aws_secret_access_key", wrong}}));
  try {
    source->ping({});
    FAIL() << "a wrong secret was accepted";
  } catch (const SourceError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("SignatureDoesNotMatch"), std::string::npos) << what;
    EXPECT_NE(what.find("access key id " + (*server)["user"]), std::string::npos) << what;
    EXPECT_EQ(what.find(wrong), std::string::npos) << what;
  }
  CollectSink sink;
  EXPECT_THROW(source->documents(sink, {}), SourceError);
}

TEST_F(S3SourceTest, AnUnknownKeyIdIsNamed) {
  auto source = sources::make_source("s3", config({{"aws_access_key_id", "AKIDUNKNOWN"}}));
  try {
    source->ping({});
    FAIL() << "an unknown key was accepted";
  } catch (const SourceError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("InvalidAccessKeyId"), std::string::npos) << what;
    EXPECT_NE(what.find("AKIDUNKNOWN"), std::string::npos) << what;
    EXPECT_EQ(what.find((*server)["password"]), std::string::npos) << what;
  }
}

TEST_F(S3SourceTest, AnUnreachableEndpointNamesHostAndPort) {
  auto source = sources::make_source("s3", config({{"endpoint_url", "http://127.0.0.1:1"}}));
  try {
    source->ping({});
    FAIL() << "nothing listens on port 1";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos) << e.what();
  }
}

class S3SyncTest : public testing::SyncFixture {
 protected:
  static void SetUpTestSuite() { start_minio(); }
  static void TearDownTestSuite() { stop_minio(); }
  void SetUp() override {
    ASSERT_NE(server, nullptr) << "MinIO did not start: " << start_error;
    SyncFixture::SetUp();
  }
};

// The framework logs a failed bucket listing and goes on, then deletes the
// documents it did not see; a partial listing must fail the sync instead.
TEST_F(S3SyncTest, ABucketThatDisappearsFailsTheSyncAndDeletesNothing) {
  make_bucket("s3-gone");
  put("s3-gone", "one.txt", "1");
  put("s3-gone", "two.txt", "2");
  json values = config({{"buckets", "s3-gone,s3-two"}});
  auto first = sync("s3", values, options());
  ASSERT_EQ(first.status, sync::SyncStatus::kCompleted) << first.error;
  EXPECT_EQ(count(), 3);
  EXPECT_EQ(first.content_fetches, 3);

  auto unchanged = sync("s3", values, options());
  ASSERT_EQ(unchanged.status, sync::SyncStatus::kCompleted) << unchanged.error;
  EXPECT_EQ(unchanged.content_fetches, 0);
  EXPECT_EQ(unchanged.content_bytes_read, 0);

  remove("s3-gone", "one.txt");
  remove("s3-gone", "two.txt");
  admin().send({"DELETE", "/s3-gone"});
  auto failed = sync("s3", config({{"buckets", "s3-two,s3-gone"}}), options());
  EXPECT_EQ(failed.status, sync::SyncStatus::kFailed);
  EXPECT_NE(failed.error.find("s3-gone"), std::string::npos) << failed.error;
  EXPECT_NE(failed.error.find("NoSuchBucket"), std::string::npos) << failed.error;
  EXPECT_EQ(failed.deleted_document_count, 0);
  EXPECT_EQ(count(), 3);
}

}  // namespace
}  // namespace connectors
