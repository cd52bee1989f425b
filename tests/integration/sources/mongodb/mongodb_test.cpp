// name: MongoDB source against a real server
// description: SecantusDB (a MongoDB-wire server, reference/test-infra.md §2e)
// started by tests/servers/mongodb.sh; data written with libmongoc; full syncs
// into the engine under test (resync sends nothing, deletions reconcile),
// advanced find / aggregate rules, bad credentials, missing database and
// collection, streaming in batches and cancellation. Skipped, with the reason,
// when the server cannot be started.
#include <gtest/gtest.h>
#include <mongoc/mongoc.h>

#include <chrono>
#include <memory>
#include <set>

#include "core/errors.h"
#include "sources/registry.h"
#include "sql_server_support.h"
#include "sync_support.h"

namespace connectors {
namespace {

using json = nlohmann::json;
using testing::CollectSink;
using testing::SqlServer;

// Writes with libmongoc, as a user's application would.
class Writer {
 public:
  explicit Writer(const std::string& uri, const std::string& database) : database_(database) {
    mongoc_init();
    client_ = mongoc_client_new(uri.c_str());
    if (client_ == nullptr) throw std::runtime_error("bad uri " + uri);
  }
  ~Writer() { mongoc_client_destroy(client_); }

  // Inserts documents given as extended JSON.
  void insert(const std::string& collection, const std::vector<std::string>& docs) {
    auto* coll = mongoc_client_get_collection(client_, database_.c_str(), collection.c_str());
    for (const auto& text : docs) {
      bson_error_t error;
      bson_t* doc = bson_new_from_json(reinterpret_cast<const uint8_t*>(text.data()),
                                       static_cast<ssize_t>(text.size()), &error);
      if (doc == nullptr) throw std::runtime_error(std::string("bad JSON: ") + error.message);
      bool ok = mongoc_collection_insert_one(coll, doc, nullptr, nullptr, &error);
      bson_destroy(doc);
      if (!ok) throw std::runtime_error(std::string("insert failed: ") + error.message);
    }
    mongoc_collection_destroy(coll);
  }

  void run(const std::string& collection, const std::string& op, const std::string& filter) {
    auto* coll = mongoc_client_get_collection(client_, database_.c_str(), collection.c_str());
    bson_error_t error;
    bson_t* selector = bson_new_from_json(reinterpret_cast<const uint8_t*>(filter.data()),
                                          static_cast<ssize_t>(filter.size()), &error);
    bool ok = op == "delete"
                  ? mongoc_collection_delete_many(coll, selector, nullptr, nullptr, &error)
                  : mongoc_collection_drop(coll, &error);
    bson_destroy(selector);
    mongoc_collection_destroy(coll);
    if (!ok) throw std::runtime_error(op + " failed: " + error.message);
  }

 private:
  std::string database_;
  mongoc_client_t* client_;
};

const std::vector<std::string> kOdd = {
    R"j({"_id": {"$oid": "64a1b2c3d4e5f60718293a4b"}, "name": "Café ☕", "n": 7,
        "big": {"$numberLong": "9007199254740993"}, "price": {"$numberDecimal": "12.50"},
        "at": {"$date": "2023-05-10T12:00:00.123Z"}, "ok": true, "none": null,
        "ref": {"owner": {"$oid": "000000000000000000000001"}, "tags": ["a", {"$oid": "ffffffffffffffffffffffff"}]},
        "uuid": {"$binary": {"base64": "oO68mZwLTvi7bWu5vTgKEQ==", "subType": "04"}},
        "bytes": {"$binary": {"base64": "aGk=", "subType": "00"}}})j",
    R"j({"_id": "string-id", "n": 1})j",
    R"j({"_id": 42, "n": 2})j",
    R"j({"_id": {"$oid": "64a1b2c3d4e5f60718293a4c"}, "n": 3, "early": {"$date": "0001-01-01T00:00:00Z"}})j",
};

const std::vector<std::string> kLossy = {
    R"j({"_id": 1, "price": {"$numberDecimal": "1234567890123456789012345678.012345"},
        "raw": {"$binary": {"base64": "//4Awyg=", "subType": "00"}},
        "ratio": {"$numberDouble": "NaN"},
        "legacy": {"$binary": {"base64": "oO68mZwLTvi7bWu5vTgKEQ==", "subType": "03"}}})j",
    R"j({"_id": 2, "ratio": {"$numberDouble": "Infinity"}})j",
};

class MongodbServer {
 public:
  static SqlServer* start(const std::string& env, std::string* problem) {
    try {
      return new SqlServer("mongodb", env);
    } catch (const std::exception& e) {
      *problem = e.what();
      return nullptr;
    }
  }
};

json config(const SqlServer& server, json overrides = json::object()) {
  json values = {{"host", server["url"]},
                 {"database", "it"},
                 {"collection", "odd"},
                 {"datetime_conversion", "DATETIME_CLAMP"}};
  values.update(overrides);
  return values;
}

CollectSink collect(const json& values, const json& rules = json::object(),
                    std::stop_token stop = {}) {
  auto source = sources::make_source("mongodb", values);
  if (!rules.empty()) source->advanced_rules()->set_advanced_rules(rules);
  CollectSink sink;
  source->documents(sink, stop);
  return sink;
}

class MongodbSource : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = MongodbServer::start("", &problem_);
    if (!server_) return;
    Writer writer((*server_)["url"], "it");
    writer.insert("odd", kOdd);
    std::vector<std::string> many;
    for (int i = 0; i < 1000; ++i) many.push_back(R"({"i": )" + std::to_string(i) + "}");
    writer.insert("many", many);
    writer.insert("lossy", kLossy);
    Writer("mongodb://" + (*server_)["host"] + ":" + (*server_)["port"] + "/?directConnection=true",
           "other")
        .insert("x", {R"({"a": 1})"});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_) << "SecantusDB could not be started: " << problem_; }
  static SqlServer* server_;
  static std::string problem_;
};

SqlServer* MongodbSource::server_ = nullptr;
std::string MongodbSource::problem_;

TEST_F(MongodbSource, OddTypesBecomeTheFrameworksDocuments) {
  auto sink = collect(config(*server_));
  ASSERT_EQ(sink.docs.size(), kOdd.size());
  const auto* odd = sink.find("64a1b2c3d4e5f60718293a4b");
  ASSERT_NE(odd, nullptr);
  EXPECT_EQ(odd->fields, json::parse(R"j({"name": "Café ☕", "n": 7, "big": 9007199254740993,
    "price": 12.5, "at": "2023-05-10T12:00:00.123000", "ok": true, "none": null,
    "ref": {"owner": "000000000000000000000001", "tags": ["a", "ffffffffffffffffffffffff"]},
    "uuid": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "bytes": "hi"})j"))
      << odd->fields.dump(2);
  EXPECT_TRUE(odd->timestamp.empty()) << "no _timestamp: the engine compares content";
  EXPECT_NE(sink.find("string-id"), nullptr);
  EXPECT_NE(sink.find("42"), nullptr);
}

TEST_F(MongodbSource, ValuesKeepTheirInformationOrAreReported) {
  auto sink = collect(config(*server_, {{"collection", "lossy"}}));
  ASSERT_EQ(sink.docs.size(), 2u);
  // Python would send 1.2345678901234569e+27 and "\u0000(".
  EXPECT_EQ(sink.find("1")->fields, json::parse(R"j({"price": "1234567890123456789012345678.012345",
                             "raw": "//4Awyg=", "ratio": null, "legacy": null})j"))
      << sink.find("1")->fields.dump(2);
  ASSERT_EQ(sink.warnings.size(), 2u) << ::testing::PrintToString(sink.warnings);
  EXPECT_TRUE(sink.warned(
      "mongodb: collection it.lossy: 1 value was sent as null: legacy UUIDs (binary subtype 3), "
      "whose byte order depends on the driver that wrote them (the first in field legacy of "
      "document 1)"));
  EXPECT_TRUE(sink.warned(
      "mongodb: collection it.lossy: 2 values were sent as null: NaN or Infinity, which JSON has "
      "no number for (the first in field ratio of document 1)"));
}

// SecantusDB decodes what it stores with pymongo: it refuses dates outside
// years 1..9999 itself, so the conversions of such dates are unit-tested only.
TEST_F(MongodbSource, DatesAtTheEdgeOfPythonsRange) {
  for (const char* option : {"DATETIME", "DATETIME_CLAMP", "DATETIME_AUTO"}) {
    auto sink = collect(config(*server_, {{"datetime_conversion", option}}));
    EXPECT_EQ(sink.find("64a1b2c3d4e5f60718293a4c")->fields["early"], "0001-01-01T00:00:00")
        << option;
  }
  auto sink = collect(config(*server_, {{"datetime_conversion", "DATETIME_MS"}}));
  EXPECT_EQ(sink.find("64a1b2c3d4e5f60718293a4c")->fields["early"], -62135596800000LL);
  EXPECT_EQ(sink.find("64a1b2c3d4e5f60718293a4b")->fields["at"], 1683720000123LL);
}

TEST_F(MongodbSource, FindAndAggregateRules) {
  auto found = collect(
      config(*server_),
      json::parse(
          R"j({"find": {"filter": {"n": {"$gte": 2}, "_id": {"$ne": {"$oid": "64a1b2c3d4e5f60718293a4c"}}},
                                                 "projection": {"n": 1}}})j"));
  ASSERT_EQ(found.docs.size(), 2u);
  EXPECT_EQ(found.find("64a1b2c3d4e5f60718293a4b")->fields, json({{"n", 7}}));
  EXPECT_EQ(found.find("42")->fields, json({{"n", 2}}));

  auto by_date = collect(
      config(*server_),
      json::parse(R"j({"find": {"filter": {"at": {"$gt": {"$date": "2023-01-01T00:00:00Z"}}}}})j"));
  ASSERT_EQ(by_date.docs.size(), 1u) << "extended JSON dates are BSON dates";

  auto grouped = collect(config(*server_, {{"collection", "many"}}),
                         json::parse(R"j({"aggregate": {"pipeline": [
                            {"$match": {"i": {"$lt": 10}}},
                            {"$group": {"_id": {"$mod": ["$i", 2]}, "count": {"$sum": 1}}}],
                            "batchSize": 1}})j"));
  ASSERT_EQ(grouped.docs.size(), 2u);
  ASSERT_NE(grouped.find("0"), nullptr);
  EXPECT_EQ(grouped.find("0")->fields, json({{"count", 5}}));

  auto source = sources::make_source("mongodb", config(*server_));
  auto& rules = *source->advanced_rules();
  EXPECT_FALSE(rules.validate_advanced_rules(json::parse(R"({"find": {"sort": {}}})"), {}).valid);
}

TEST_F(MongodbSource, MissingDatabaseAndCollectionListTheExistingOnes) {
  try {
    collect(config(*server_, {{"database", "nope"}}));
    FAIL();
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("Database (nope) does not exist. Existing databases: "),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("it"), std::string::npos) << message;
    EXPECT_NE(message.find("other"), std::string::npos) << message;
  }
  try {
    collect(config(*server_, {{"collection", "nope"}}));
    FAIL();
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(
        message.find("Collection (nope) does not exist within database it. Existing collections: "),
        std::string::npos)
        << message;
    EXPECT_NE(message.find("many"), std::string::npos) << message;
    EXPECT_NE(message.find("odd"), std::string::npos) << message;
  }
}

TEST_F(MongodbSource, StreamsMoreThanOneBatchAndStopsPromptly) {
  auto sink = collect(config(*server_, {{"collection", "many"}}));
  EXPECT_EQ(sink.docs.size(), 1000u) << "ten batches of 100";
  std::set<std::string> ids;
  for (const auto& d : sink.docs) ids.insert(d.id);
  EXPECT_EQ(ids.size(), 1000u);

  std::stop_source stop;
  CollectSink partial;
  partial.on_emit = [&](const sources::Document&) {
    if (partial.docs.size() == 5) stop.request_stop();
  };
  auto source = sources::make_source("mongodb", config(*server_, {{"collection", "many"}}));
  EXPECT_THROW(source->documents(partial, stop.get_token()), Cancelled);
  EXPECT_LT(partial.docs.size(), 100u);
}

TEST_F(MongodbSource, AnUnreachableServerIsNamedAndRetried) {
  auto source = sources::make_source(
      "mongodb",
      config(*server_,
             {{"host",
               "mongodb://someone:Hidden_Pw_1@127.0.0.1:1/"
               "?directConnection=true&connectTimeoutMS=200&serverSelectionTimeoutMS=200"}}));
  try {
    source->ping({});
    FAIL();
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("127.0.0.1:1"), std::string::npos) << message;
    EXPECT_NE(message.find("(after 3 attempts)"), std::string::npos) << message;
    EXPECT_EQ(message.find("Hidden_Pw_1"), std::string::npos) << message;
  }
}

TEST(MongodbAuth, BadPasswordIsAClearErrorWithoutThePassword) {
  std::string problem;
  std::unique_ptr<SqlServer> server(MongodbServer::start("MONGO_AUTH=1", &problem));
  ASSERT_TRUE(server) << "SecantusDB could not be started: " << problem;
  json good = {{"host", (*server)["url"]},
               {"user", (*server)["user"]},
               {"password", (*server)["password"]},
               {"database", "admin"},
               {"collection", "x"}};
  sources::make_source("mongodb", good)->ping({});

  json bad = good;
  bad["password"] = "Wrong_Secret_987";
  auto started = std::chrono::steady_clock::now();
  try {
    sources::make_source("mongodb", bad)->ping({});
    FAIL() << "ping succeeded with a wrong password";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("'admin'"), std::string::npos) << message;
    EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
    EXPECT_NE(message.find("uthentication failed"), std::string::npos) << message;
    EXPECT_EQ(message.find("Wrong_Secret_987"), std::string::npos) << message;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)) << "not retried";

  json embedded = good;
  embedded["user"] = "";
  embedded["password"] = "";
  embedded["host"] =
      "mongodb://admin:Wrong_Secret_987@127.0.0.1:" + (*server)["port"] + "/?directConnection=true";
  try {
    sources::make_source("mongodb", embedded)->ping({});
    FAIL() << "ping succeeded with a wrong password in the URI";
  } catch (const SourceError& e) {
    EXPECT_EQ(std::string(e.what()).find("Wrong_Secret_987"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("admin:***@"), std::string::npos) << e.what();
  }
}

class MongodbSync : public testing::SyncFixture {
 protected:
  void SetUp() override {
    testing::SyncFixture::SetUp();
    server_.reset(MongodbServer::start("", &problem_));
    ASSERT_TRUE(server_) << "SecantusDB could not be started: " << problem_;
  }
  std::unique_ptr<SqlServer> server_;
  std::string problem_;
};

TEST_F(MongodbSync, FullSyncResyncAndDeletionsInTheEngine) {
  Writer writer((*server_)["url"], "it");
  writer.insert("odd", kOdd);
  auto values = config(*server_);
  auto first = sync("mongodb", values, options());
  ASSERT_EQ(first.status, sync::SyncStatus::kCompleted) << first.error;
  EXPECT_EQ(first.indexed_document_count, 4);
  EXPECT_EQ(count(), 4);
  auto doc = client_->get_document(index_, "64a1b2c3d4e5f60718293a4b");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->source["ref"]["owner"], "000000000000000000000001");
  EXPECT_EQ(doc->source["at"], "2023-05-10T12:00:00.123000");
  EXPECT_EQ(doc->source["id"], "64a1b2c3d4e5f60718293a4b");

  auto again = sync("mongodb", values, options());
  ASSERT_EQ(again.status, sync::SyncStatus::kCompleted) << again.error;
  EXPECT_EQ(again.indexed_document_count, 0) << "unchanged documents are not sent again";
  EXPECT_EQ(again.deleted_document_count, 0);

  writer.run("odd", "delete", R"({"_id": "string-id"})");
  writer.insert("odd", {R"({"_id": "new", "n": 9})"});
  auto third = sync("mongodb", values, options());
  ASSERT_EQ(third.status, sync::SyncStatus::kCompleted) << third.error;
  EXPECT_EQ(third.indexed_document_count, 1);
  EXPECT_EQ(third.deleted_document_count, 1);
  EXPECT_EQ(count(), 4);
  EXPECT_FALSE(client_->get_document(index_, "string-id").has_value());
}

}  // namespace
}  // namespace connectors
