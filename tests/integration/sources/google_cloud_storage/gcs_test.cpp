// The google_cloud_storage source against fake-gcs-server behind the test's
// token endpoint (tests/servers/fake_gcs.sh, gcs_token_proxy.py), which
// verifies the service account's JWT and lets through only API requests with a
// token it issued. A server that cannot start fails the tests.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "core/errors.h"
#include "http/client.h"
#include "sources/registry.h"
#include "sql_server_support.h"
#include "sync_support.h"

namespace connectors {
namespace {

using nlohmann::json;
using testing::CollectSink;
using testing::SqlServer;

// The fixture's server, started once for the file (its buckets are named per test).
SqlServer& server() {
  static std::unique_ptr<SqlServer> shared = [] {
    auto s = std::make_unique<SqlServer>("fake_gcs");
    ::setenv("STORAGE_EMULATOR_HOST", (*s)["url"].c_str(), 1);
    return s;
  }();
  return *shared;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// fake-gcs-server itself (no auth), to make buckets and objects.
http::Client& emulator() {
  static http::Client client([] {
    http::ClientOptions o;
    o.base_url = server()["emulator"];
    return o;
  }());
  return client;
}
// The proxy's test hooks (/_stats, /_fail).
json proxy(const std::string& method, const std::string& path, http::QueryParams query = {}) {
  static http::Client client([] {
    http::ClientOptions o;
    o.base_url = server()["url"];
    return o;
  }());
  return client.send_json(http::Request(method, path, std::move(query)));
}

void make_bucket(const std::string& bucket) {
  http::Request create("POST", "/storage/v1/b", {{"project", "connectors-test"}});
  create.headers["Content-Type"] = "application/json";
  create.body = json({{"name", bucket}}).dump();
  emulator().send(create);
}
void put(const std::string& bucket, const std::string& name, const std::string& body) {
  http::Request upload("POST", "/upload/storage/v1/b/" + http::percent_encode(bucket) + "/o",
                       {{"uploadType", "media"}, {"name", name}});
  upload.headers["Content-Type"] = "text/plain";
  upload.body = body;
  emulator().send(upload);
}
void remove(const std::string& bucket, const std::string& name) {
  emulator().send(http::Request("DELETE", "/storage/v1/b/" + http::percent_encode(bucket) + "/o/" +
                                              http::percent_encode(name)));
}

json config(const std::string& buckets, const std::string& credentials = "") {
  return {{"buckets", buckets},
          {"service_account_credentials",
           credentials.empty() ? read_text(server()["credentials"]) : credentials},
          {"retry_count", 0}};
}

// The service account's JSON with another private key: the token endpoint must refuse it.
std::string credentials_with_another_key() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  json credentials = json::parse(read_text(server()["credentials"]));
  credentials["private_key"] = std::string(data, static_cast<size_t>(n));
  return credentials.dump();
}

std::unique_ptr<sources::Source> source(const json& values) {
  return sources::make_source("google_cloud_storage", values);
}

class StringSink final : public sources::ContentSink {
 public:
  bool write(std::string_view bytes) override {
    text.append(bytes);
    return text.size() <= limit;
  }
  std::string text;
  size_t limit = 1 << 20;
};

class GcsSource : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      server();
    } catch (const std::exception& e) {
      FAIL() << "fake-gcs-server did not start: " << e.what();
    }
  }
};

TEST_F(GcsSource, ListsEveryPageWithTheFrameworksFields) {
  make_bucket("paged");
  // 1003 objects: the listing's pages hold 1000, so nextPageToken is followed.
  std::set<std::string> expected;
  for (int i = 0; i < 1003; ++i) {
    std::string name = "f/" + std::to_string(i) + ".txt";
    put("paged", name, "object " + std::to_string(i));
    expected.insert("paged/" + name);
  }
  put("paged", "docs/a b'é.txt", "hello world");
  CollectSink sink;
  source(config("paged"))->documents(sink, {});
  std::set<std::string> ids;
  for (const auto& d : sink.docs) ids.insert(d.id);
  expected.insert("paged/docs/a b'é.txt");
  EXPECT_EQ(ids, expected);

  const auto* doc = sink.find("paged/docs/a b'é.txt");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->fields["name"], "docs/a b'é.txt");
  EXPECT_EQ(doc->fields["size"], "11");  // a string, as the JSON API gives it
  EXPECT_EQ(doc->fields["bucket_name"], "paged");
  EXPECT_EQ(doc->fields["type"], "text/plain");
  EXPECT_EQ(doc->fields["storage_class"], "STANDARD");
  EXPECT_TRUE(doc->fields["component_count"].is_null());
  EXPECT_EQ(doc->fields["url"],
            "https://console.cloud.google.com/storage/browser/_details/paged/"
            "docs%2Fa%20b'%C3%A9.txt;tab=live_object?project=connectors-test");
  EXPECT_FALSE(doc->timestamp.empty());
  EXPECT_EQ(doc->fields["last_updated"], doc->timestamp);
  EXPECT_EQ(doc->content.size, 11);
  EXPECT_EQ(doc->content.extension, ".txt");

  // The content, downloaded through the proxy with the token (alt=media).
  StringSink content;
  doc->content.fetch(content, 1 << 20, {});
  EXPECT_EQ(content.text, "hello world");
}

TEST_F(GcsSource, EveryBucketWithAStarAndOneTokenForAll) {
  make_bucket("star-a");
  make_bucket("star-b");
  put("star-a", "one.txt", "1");
  put("star-b", "two.txt", "2");
  auto before = proxy("GET", "/_stats");
  CollectSink sink;
  auto gcs = source(config("*"));
  gcs->ping({});
  gcs->documents(sink, {});
  EXPECT_NE(sink.find("star-a/one.txt"), nullptr);
  EXPECT_NE(sink.find("star-b/two.txt"), nullptr);
  for (const auto& d : sink.docs) {
    if (d.id == "star-b/two.txt") {
      StringSink content;
      d.content.fetch(content, 100, {});
      EXPECT_EQ(content.text, "2");
    }
  }
  auto after = proxy("GET", "/_stats");
  // ping, bucket list, object lists and a download: one token, cached.
  EXPECT_EQ(after["tokens_issued"].get<int>() - before["tokens_issued"].get<int>(), 1);
  EXPECT_GE(after["api_requests"].get<int>() - before["api_requests"].get<int>(), 4);
  EXPECT_EQ(after["rejected_tokens"], before["rejected_tokens"]);
}

TEST_F(GcsSource, AWrongKeyIsRefusedNamingTheAccountNeverTheKey) {
  std::string credentials = credentials_with_another_key();
  auto gcs = source(config("paged", credentials));
  try {
    gcs->ping({});
    FAIL() << "a wrong key was accepted";
  } catch (const SourceError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("connectors-test@connectors-test.iam.gserviceaccount.com"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find(server()["url"] + "/token"), std::string::npos) << what;
    EXPECT_NE(what.find("Invalid JWT Signature."), std::string::npos) << what;
    EXPECT_EQ(what.find("PRIVATE KEY"), std::string::npos) << what;
    EXPECT_EQ(what.find("assertion"), std::string::npos) << what;
  }
}

TEST_F(GcsSource, TheTokenEndpointRejectsATamperedJwt) {
  // A JWT the source signed, with its claims changed afterwards.
  auto key = json::parse(read_text(server()["credentials"]));
  http::ClientOptions o;
  o.base_url = server()["url"];
  http::Client client(o);
  auto post = [&](const std::string& assertion) {
    http::Request request("POST", "/token");
    request.headers["Content-Type"] = "application/x-www-form-urlencoded";
    request.body =
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion;
    request.accept = {400};
    return client.send(request);
  };
  // Built like the source's (see service_account.h), then re-signed claims swapped.
  auto b64 = [](const std::string& text) {
    std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
    out.resize(static_cast<size_t>(n));
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (auto& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
  };
  long long now = std::time(nullptr);
  json claims = {{"iss", key["client_email"]},
                 {"scope", "https://www.googleapis.com/auth/devstorage.read_only"},
                 {"aud", key["token_uri"]},
                 {"iat", now},
                 {"exp", now + 3600}};
  std::string header = b64(R"({"alg":"RS256","typ":"JWT"})");
  std::string input = header + "." + b64(claims.dump());
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(key["private_key"].get_ref<const std::string&>().data(), -1), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t length = 256;
  std::string signature(length, '\0');
  EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get());
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  signature.resize(length);

  EXPECT_EQ(post(input + "." + b64(signature)).status, 200) << "the genuine JWT";
  claims["exp"] = now + 7200;
  auto tampered = post(header + "." + b64(claims.dump()) + "." + b64(signature));
  EXPECT_EQ(tampered.status, 400);
  EXPECT_NE(tampered.body.find("Invalid JWT Signature."), std::string::npos) << tampered.body;
}

TEST_F(GcsSource, AMissingBucketNamesIt) {
  CollectSink sink;
  try {
    source(config("no-such-bucket"))->documents(sink, {});
    FAIL() << "no error";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("bucket 'no-such-bucket'"), std::string::npos) << e.what();
  }
}

class GcsSync : public testing::SyncFixture {
 protected:
  void SetUp() override {
    testing::SyncFixture::SetUp();
    try {
      server();
    } catch (const std::exception& e) {
      FAIL() << "fake-gcs-server did not start: " << e.what();
    }
  }
  void TearDown() override {
    proxy("POST", "/_fail");
    testing::SyncFixture::TearDown();
  }
};

TEST_F(GcsSync, AListingFailingPartWayFailsTheSyncAndDeletesNothing) {
  make_bucket("sync-a");
  make_bucket("sync-b");
  for (int i = 0; i < 1005; ++i)
    put("sync-a", "o" + std::to_string(i) + ".txt", "a" + std::to_string(i));
  put("sync-b", "b.txt", "b");
  auto values = config("sync-a,sync-b");
  auto first = sync("google_cloud_storage", values, options());
  ASSERT_EQ(first.status, sync::SyncStatus::kCompleted) << first.error;
  EXPECT_EQ(count(), 1006);
  EXPECT_EQ(first.content_fetches, 1006);

  auto unchanged = sync("google_cloud_storage", values, options());
  ASSERT_EQ(unchanged.status, sync::SyncStatus::kCompleted) << unchanged.error;
  EXPECT_EQ(unchanged.indexed_document_count, 0);
  EXPECT_EQ(unchanged.content_fetches, 0);
  EXPECT_EQ(unchanged.content_bytes_read, 0);

  // The second page of sync-a fails (403: not retried, and the framework
  // would log it and go on); sync-b lost an object meanwhile.
  remove("sync-b", "b.txt");
  proxy("POST", "/_fail", {{"bucket", "sync-a"}, {"status", "403"}, {"after", "1"}});
  auto broken = sync("google_cloud_storage", values, options());
  EXPECT_EQ(broken.status, sync::SyncStatus::kFailed);
  EXPECT_NE(broken.error.find("bucket 'sync-a' (page 2)"), std::string::npos) << broken.error;
  EXPECT_EQ(broken.deleted_document_count, 0);
  EXPECT_EQ(count(), 1006);

  proxy("POST", "/_fail");
  put("sync-a", "o1.txt", "changed");
  auto healed = sync("google_cloud_storage", values, options());
  ASSERT_EQ(healed.status, sync::SyncStatus::kCompleted) << healed.error;
  EXPECT_EQ(healed.deleted_document_count, 1);
  EXPECT_EQ(healed.content_fetches, 1) << "the changed object only";
  EXPECT_EQ(count(), 1005);
}

}  // namespace
}  // namespace connectors
