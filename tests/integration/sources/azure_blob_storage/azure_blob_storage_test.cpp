// The azure_blob_storage source against a real Azurite (which verifies every
// Shared Key signature), started for the suite by tests/servers/azurite.sh: an
// Azurite that cannot start fails the tests, never skips them. The sync test
// also needs a search engine (ES_URL).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>

#include "core/errors.h"
#include "sources/azure_blob_storage/azure_blob_storage_source.h"
#include "sources/registry.h"
#include "sql_server_support.h"
#include "sync_support.h"

namespace connectors::sources::azure {
namespace {

using testing::CollectSink;
using testing::SqlServer;

class AzureBlobTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      server_ = new SqlServer("azurite");
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "Azurite did not start: " << start_error_;
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static AzureSettings settings(const std::string& key = "") {
    AzureSettings s;
    s.service.account_name = (*server_)["user"];
    s.service.account_key = Secret(key.empty() ? (*server_)["password"] : key);
    s.service.blob_endpoint = (*server_)["url"];
    s.service.retry_count = 1;
    s.service.retry_base = std::chrono::milliseconds(50);
    return s;
  }
  static BlobService& service() {
    static BlobService shared(settings().service);
    return shared;
  }
  static void put_container(const std::string& name,
                            std::map<std::string, std::string> metadata = {}) {
    http::Request put("PUT", "/" + name, {{"restype", "container"}});
    for (const auto& [k, v] : metadata) put.headers["x-ms-meta-" + k] = v;
    put.accept = {409};  // made by an earlier test
    service().send(put);
  }
  static void put_blob(const std::string& container, const std::string& name,
                       const std::string& text, std::map<std::string, std::string> metadata = {}) {
    http::Request put("PUT", blob_path(container, name));
    put.body = text;
    put.headers = {{"x-ms-blob-type", "BlockBlob"}, {"Content-Type", "text/plain"}};
    for (const auto& [k, v] : metadata) put.headers["x-ms-meta-" + k] = v;
    service().send(put);
  }
  static void delete_container(const std::string& name) {
    http::Request del("DELETE", "/" + name, {{"restype", "container"}});
    del.accept = {404};
    service().send(del);
  }
  // The ids the source lists with `s`.
  static std::set<std::string> ids(AzureSettings s, CollectSink* keep = nullptr) {
    CollectSink local;
    CollectSink& sink = keep ? *keep : local;
    make_azure_blob_source(std::move(s))->documents(sink, {});
    std::set<std::string> out;
    for (const auto& d : sink.docs) out.insert(d.id);
    return out;
  }

  static SqlServer* server_;
  static std::string start_error_;
};

SqlServer* AzureBlobTest::server_ = nullptr;
std::string AzureBlobTest::start_error_;

TEST_F(AzureBlobTest, PingAndTheDescriptorsDefaultsBuildASource) {
  service().ping({});
  json config = {{"account_name", (*server_)["user"]},
                 {"account_key", (*server_)["password"]},
                 {"blob_endpoint", (*server_)["url"]}};
  auto source = make_source("azure_blob_storage", config);  // containers absent: all
  source->ping({});
}

TEST_F(AzureBlobTest, DocumentsExactlyAsTheFrameworkAndTheirContent) {
  put_container("exact-box", {{"team", "blue"}});
  put_blob("exact-box", "dir/a b+c&ü.txt", "hello azure", {{"k", "v"}, {"quote", "it's"}});
  AzureSettings s = settings();
  s.containers = {"exact-box"};
  CollectSink sink;
  ASSERT_EQ(ids(s, &sink), (std::set<std::string>{"exact-box/dir/a b+c&ü.txt"}));
  const Document& doc = sink.docs.front();
  EXPECT_EQ(doc.fields["container metadata"], "{'team': 'blue'}");
  EXPECT_EQ(doc.fields["metadata"], "{'k': 'v', 'quote': \"it's\"}");
  EXPECT_EQ(doc.fields["leasedata"],
            "{'status': 'unlocked', 'state': 'available', 'duration': None}");
  EXPECT_EQ(doc.fields["content type"], "text/plain");
  EXPECT_EQ(doc.fields["title"], "dir/a b+c&ü.txt");
  EXPECT_EQ(doc.fields["tier"], "Hot");
  EXPECT_EQ(doc.fields["size"], 11);
  EXPECT_EQ(doc.fields["container"], "exact-box");
  EXPECT_TRUE(doc.timestamp.ends_with("+00:00")) << doc.timestamp;
  EXPECT_EQ(doc.fields["created at"].get<std::string>().size(), 25U);
  EXPECT_EQ(doc.content.extension, ".txt");

  struct Keep final : ContentSink {
    bool write(std::string_view bytes) override {
      text.append(bytes);
      return true;
    }
    std::string text;
  } content;
  doc.content.fetch(content, 1000, {});
  EXPECT_EQ(content.text, "hello azure");
}

TEST_F(AzureBlobTest, PagesWithASmallPageAndContainersFilter) {
  put_container("paged-one");
  put_container("paged-two");
  put_container("paged-skip");
  for (int i = 0; i < 7; ++i) put_blob("paged-one", "f" + std::to_string(i) + ".txt", "x");
  for (int i = 0; i < 3; ++i) put_blob("paged-two", "g" + std::to_string(i) + ".txt", "y");
  put_blob("paged-skip", "no.txt", "z");
  AzureSettings s = settings();
  s.service.page_size = 2;  // several pages of containers and of blobs
  s.containers = {"paged-one", "paged-two", "paged-missing"};
  CollectSink sink;
  auto got = ids(s, &sink);
  EXPECT_EQ(got.size(), 10U);
  EXPECT_TRUE(got.count("paged-one/f6.txt"));
  EXPECT_TRUE(got.count("paged-two/g0.txt"));
  EXPECT_FALSE(got.count("paged-skip/no.txt"));
  EXPECT_TRUE(sink.warned("paged-missing")) << "no warning for the missing container";

  s.containers = {"*"};
  got = ids(s);
  EXPECT_TRUE(got.count("paged-skip/no.txt"));
  EXPECT_TRUE(got.count("paged-one/f0.txt"));
}

TEST_F(AzureBlobTest, AWrongKeyIsRefusedNamingTheAccountNeverTheKey) {
  const std::string wrong =
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  auto source = make_azure_blob_source(settings(wrong));
  try {
    source->ping({});
    FAIL() << "a wrong key was accepted";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("account 'devstoreaccount1'"), std::string::npos) << message;
    EXPECT_NE(message.find("403"), std::string::npos) << message;
    EXPECT_NE(message.find("AuthorizationFailure"), std::string::npos) << message;
    EXPECT_EQ(message.find(wrong), std::string::npos) << message;
    EXPECT_EQ(message.find((*server_)["password"]), std::string::npos) << message;
  }
  CollectSink sink;
  EXPECT_THROW(source->documents(sink, {}), SourceError);
}

TEST_F(AzureBlobTest, AnUnreachableEndpointNamesIt) {
  AzureSettings s = settings();
  s.service.blob_endpoint = "http://127.0.0.1:1/devstoreaccount1";
  s.service.retry_count = 0;
  try {
    make_azure_blob_source(s)->ping({});
    FAIL() << "no error";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos) << e.what();
  }
}

TEST_F(AzureBlobTest, AKeyThatIsNotBase64IsAConfigErrorNamingTheField) {
  json config = {{"account_key", "not base64!"}, {"blob_endpoint", (*server_)["url"]}};
  try {
    make_source("azure_blob_storage", config);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "account_key");
    EXPECT_EQ(std::string(e.what()).find("not base64!"), std::string::npos) << e.what();
  }
}

TEST_F(AzureBlobTest, AContainerGoneMidListingFailsTheEnumeration) {
  put_container("gone-box");
  for (int i = 0; i < 6; ++i) put_blob("gone-box", "b" + std::to_string(i) + ".txt", "x");
  AzureSettings s = settings();
  s.service.page_size = 2;
  s.containers = {"gone-box"};
  CollectSink sink;
  sink.on_emit = [&](const Document&) {
    if (sink.docs.size() == 1) delete_container("gone-box");  // after the first page
  };
  try {
    make_azure_blob_source(s)->documents(sink, {});
    FAIL() << "a partial listing ended as complete";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("container 'gone-box'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ContainerNotFound"), std::string::npos) << e.what();
  }
}

// Through the sync engine: a listing that fails part-way fails the job, and
// nothing indexed before is deleted.
class AzureBlobSyncTest : public testing::SyncFixture {};

TEST_F(AzureBlobSyncTest, FailingPartWayDeletesNothingAndAResyncDownloadsNothing) {
  SqlServer server("azurite");
  AzureSettings s;
  s.service.account_name = server["user"];
  s.service.account_key = Secret(server["password"]);
  s.service.blob_endpoint = server["url"];
  s.service.retry_count = 0;
  s.service.page_size = 3;
  BlobService seed(s.service);
  auto send = [&](http::Request r) { seed.send(std::move(r)); };
  send({"PUT", "/sync-a", {{"restype", "container"}}});
  send({"PUT", "/sync-b", {{"restype", "container"}}});
  for (const char* c : {"sync-a", "sync-b"}) {
    for (int i = 0; i < 5; ++i) {
      http::Request put("PUT", blob_path(c, "doc" + std::to_string(i) + ".txt"));
      put.body = "text of " + std::to_string(i);
      put.headers = {{"x-ms-blob-type", "BlockBlob"}};
      send(put);
    }
  }
  auto first = sync(*make_azure_blob_source(s), options());
  ASSERT_EQ(first.status, sync::SyncStatus::kCompleted) << first.error;
  EXPECT_EQ(count(), 10);
  EXPECT_EQ(first.content_fetches, 10);

  auto again = sync(*make_azure_blob_source(s), options());
  ASSERT_EQ(again.status, sync::SyncStatus::kCompleted) << again.error;
  EXPECT_EQ(again.content_fetches, 0);  // unchanged blobs are never downloaded
  EXPECT_EQ(again.content_bytes_read, 0);

  // The key no longer works for the second container's listing: the source
  // is cut off part-way (sync-a listed, sync-b not).
  class CutOff final : public Source {
   public:
    CutOff(std::unique_ptr<Source> inner, BlobService& seed)
        : inner_(std::move(inner)), seed_(seed) {}
    void ping(std::stop_token stop) override { inner_->ping(stop); }
    void documents(DocumentSink& sink, std::stop_token stop) override {
      struct Forward final : DocumentSink {
        Forward(DocumentSink& to, BlobService& s) : out(to), seed(s) {}
        void emit(Document d) override {
          if (++n == 5) seed.send({"DELETE", "/sync-b", {{"restype", "container"}}});
          out.emit(std::move(d));
        }
        void warn(std::string m) override { out.warn(std::move(m)); }
        DocumentSink& out;
        BlobService& seed;
        int n = 0;
      } forward(sink, seed_);
      inner_->documents(forward, stop);
    }

   private:
    std::unique_ptr<Source> inner_;
    BlobService& seed_;
  } cut(make_azure_blob_source(s), seed);
  auto failed = sync(cut, options());
  EXPECT_EQ(failed.status, sync::SyncStatus::kFailed);
  EXPECT_NE(failed.error.find("sync-b"), std::string::npos) << failed.error;
  EXPECT_EQ(failed.deleted_document_count, 0);
  EXPECT_EQ(count(), 10);
}

}  // namespace
}  // namespace connectors::sources::azure
