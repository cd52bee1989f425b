// The Elasticsearch client against the real engine (OpenSearch 2.19 or
// Elasticsearch 8.19, chosen by ENGINE).
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "core/logging.h"
#include "es/search.h"
#include "support.h"

namespace connectors::es {
namespace {

using connectors::testing::engine_name;
using connectors::testing::engine_url;
using connectors::testing::fast_retry_options;
using connectors::testing::test_index;

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ENGINE();
    client_ = std::make_unique<Client>(fast_retry_options(engine_url()));
    index_ = test_index("client");
  }
  void TearDown() override {
    if (client_ && client_->index_exists(index_)) client_->delete_index(index_);
  }
  bool is_opensearch() { return client_->info().flavour == Flavour::kOpenSearch; }

  std::unique_ptr<Client> client_;
  std::string index_;
};

TEST_F(ClientTest, InfoReportsFlavourAndVersion) {
  EngineInfo info = client_->info();
  if (engine_name() == "elasticsearch") {
    EXPECT_EQ(info.flavour, Flavour::kElasticsearch);
    EXPECT_EQ(info.major, 8);
  } else {
    EXPECT_EQ(info.flavour, Flavour::kOpenSearch);
    EXPECT_EQ(info.major, 2);
  }
  EXPECT_FALSE(info.version.empty());
}

TEST_F(ClientTest, IndexLifecycleAndMappings) {
  EXPECT_FALSE(client_->index_exists(index_));
  client_->create_index(index_, {{"mappings", {{"properties", {{"title", {{"type", "text"}}}}}}}});
  EXPECT_TRUE(client_->index_exists(index_));
  client_->put_mapping(index_, {{"properties", {{"size", {{"type", "long"}}}}}});
  json mapping = client_->get_mapping(index_);
  EXPECT_EQ(mapping["properties"]["title"]["type"], "text");
  EXPECT_EQ(mapping["properties"]["size"]["type"], "long");
  client_->refresh(index_);
  try {
    client_->create_index(index_);
    FAIL() << "creating an existing index must fail";
  } catch (const EsError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.type(), "resource_already_exists_exception");
  }
  client_->delete_index(index_);
  EXPECT_FALSE(client_->index_exists(index_));
}

TEST_F(ClientTest, StaleSeqNoIsAVersionConflict) {
  auto first = client_->index_document(index_, std::string("doc-1"), {{"n", 1}}, std::nullopt,
                                       Refresh::kYes);
  EXPECT_EQ(first.result, "created");
  auto doc = client_->get_document(index_, "doc-1");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->source["n"], 1);
  auto second = client_->index_document(index_, std::string("doc-1"), {{"n", 2}}, doc->seq);
  EXPECT_EQ(second.result, "updated");
  try {
    client_->index_document(index_, std::string("doc-1"), {{"n", 3}}, doc->seq);  // stale now
    FAIL() << "a stale if_seq_no must be refused";
  } catch (const EsError& e) {
    EXPECT_TRUE(e.is_version_conflict()) << e.what();
    EXPECT_EQ(e.type(), "version_conflict_engine_exception");
  }
  EXPECT_THROW(client_->update_document(index_, "doc-1", {{"n", 4}}, doc->seq), EsError);
  auto updated = client_->update_document(index_, "doc-1", {{"m", 5}}, second.seq);
  EXPECT_EQ(updated.result, "updated");
  auto latest = client_->get_document(index_, "doc-1");
  EXPECT_EQ(latest->source["n"], 2);
  EXPECT_EQ(latest->source["m"], 5);
  EXPECT_THROW(client_->delete_document(index_, "doc-1", second.seq), EsError);
  EXPECT_EQ(client_->delete_document(index_, "doc-1", latest->seq).result, "deleted");
  EXPECT_FALSE(client_->get_document(index_, "doc-1").has_value());
}

TEST_F(ClientTest, GetFromMissingIndexIsAnError) {
  try {
    client_->get_document(index_ + "-missing", "x");
    FAIL() << "a missing index is not a missing document";
  } catch (const EsError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.type(), "index_not_found_exception");
  }
}

TEST_F(ClientTest, BulkReportsEveryItem) {
  client_->create_index(index_, {{"mappings", {{"properties", {{"n", {{"type", "long"}}}}}}}});
  BulkBuilder builder;
  builder.add(BulkOp::kIndex, index_, "1", R"({"n":1})");
  builder.add(BulkOp::kIndex, index_, "2", R"({"n":"not a number"})");
  builder.add(BulkOp::kIndex, index_, "3", R"({"n":3})");
  builder.add(BulkOp::kDelete, index_, "404");
  auto response = client_->bulk(builder.take(), std::nullopt, Refresh::kYes);
  ASSERT_EQ(response.items.size(), 4u);
  EXPECT_TRUE(response.errors);
  EXPECT_TRUE(response.items[0].ok());
  EXPECT_EQ(response.items[1].id, "2");
  EXPECT_EQ(response.items[1].status, 400);
  // Elasticsearch 8 says document_parsing_exception, OpenSearch mapper_parsing_exception.
  EXPECT_TRUE(response.items[1].error_type == "mapper_parsing_exception" ||
              response.items[1].error_type == "document_parsing_exception")
      << response.items[1].error_type;
  EXPECT_TRUE(response.items[2].ok());
  EXPECT_EQ(response.items[3].result, "not_found");
  EXPECT_EQ(client_->count(index_), 2);
}

TEST_F(ClientTest, SearchAfterScrollAndCountSeeEveryDocument) {
  client_->create_index(index_, {{"mappings", {{"properties", {{"key", {{"type", "keyword"}}}}}}}});
  BulkBuilder builder;
  const int total = 2345;
  for (int i = 0; i < total; ++i) {
    builder.add(BulkOp::kIndex, index_, std::to_string(i),
                json{{"key", fmt::format("{:06}", i)}, {"even", i % 2 == 0}}.dump());
  }
  ASSERT_FALSE(client_->bulk(builder.take(), std::nullopt, Refresh::kYes).errors);
  EXPECT_EQ(client_->count(index_), total);
  EXPECT_EQ(client_->count(index_, {{"term", {{"even", true}}}}), (total + 1) / 2);

  SearchAfterReader after(*client_, index_, {{"sort", json::array({{{"key", "asc"}}})}}, 500);
  std::vector<json> hits;
  int seen = 0;
  std::string previous;
  while (after.next(hits)) {
    for (const auto& hit : hits) {
      std::string key = hit["_source"]["key"];
      EXPECT_LT(previous, key);
      previous = key;
      ++seen;
    }
  }
  EXPECT_EQ(seen, total);

  int scrolled = 0;
  {
    ScrollReader scroll(*client_, index_, {{"_source", false}}, 1000);
    while (scroll.next(hits)) scrolled += static_cast<int>(hits.size());
  }
  EXPECT_EQ(scrolled, total);
}

TEST_F(ClientTest, DeleteByQuery) {
  if (!is_opensearch()) {
    GTEST_SKIP() << "Elasticsearch core from Maven Central has no reindex module (_delete_by_query)";
  }
  BulkBuilder builder;
  for (int i = 0; i < 10; ++i) {
    builder.add(BulkOp::kIndex, index_, std::to_string(i), json{{"n", i}}.dump());
  }
  client_->bulk(builder.take(), std::nullopt, Refresh::kYes);
  EXPECT_EQ(client_->delete_by_query(index_, {{"range", {{"n", {{"gte", 6}}}}}}), 4);
  EXPECT_EQ(client_->count(index_), 6);
}

TEST_F(ClientTest, IngestPipelinePutGet) {
  std::string id = index_ + "-pipeline";
  json body = {{"description", "test pipeline"}, {"processors", json::array()}};
  if (is_opensearch()) {
    body["processors"].push_back({{"set", {{"field", "tagged"}, {"value", true}}}});
  }
  EXPECT_FALSE(client_->get_pipeline(id).has_value());
  client_->put_pipeline(id, body);
  auto stored = client_->get_pipeline(id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ((*stored)["description"], "test pipeline");
  if (is_opensearch()) {
    client_->index_document(index_, std::string("p1"), {{"a", 1}}, std::nullopt, Refresh::kYes);
    BulkBuilder builder;
    builder.add(BulkOp::kIndex, index_, "p2", R"({"a":2})");
    client_->bulk(builder.take(), id, Refresh::kYes);
    EXPECT_EQ(client_->get_document(index_, "p2")->source["tagged"], true);
  }
  client_->request("DELETE", "/_ingest/pipeline/" + id);
}

// elasticsearch.log_level: debug, while the service logs at INFO: every request
// is in the log with its bodies, and no secret is.
TEST_F(ClientTest, DebugTraceLogsEveryRequestWithoutSecrets) {
  const std::string password = "Trace-pw-9f3k2";
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  logging::setup(logging::Format::kText, spdlog::level::info, sink);
  auto options = fast_retry_options(engine_url());
  options.trace = true;
  options.transport.api_key = Secret("VHJhY2VLZXlJZDpUcmFjZUtleVNlY3JldA==");
  Client traced(options);

  json configuration = {{"host", {{"sensitive", false}, {"value", "db.example.com"}}},
                        {"password", {{"sensitive", true}, {"value", password}}}};
  traced.index_document(index_, std::string("c1"), {{"configuration", configuration}});
  traced.index_document(index_, std::string("j1"),
                        {{"connector", {{"id", "c1"}, {"configuration", configuration}}}},
                        std::nullopt, Refresh::kYes);
  BulkBuilder builder;
  builder.add(BulkOp::kIndex, index_, "c2", json{{"configuration", configuration}}.dump());
  traced.bulk(builder.take(), std::nullopt, Refresh::kYes);
  traced.search(index_, {{"query", {{"match_all", json::object()}}}});
  EXPECT_FALSE(traced.get_document(index_, "missing").has_value());
  logging::transport_logger()->flush();
  logging::setup(logging::Format::kText, spdlog::level::info);
  std::string log = captured.str();

  const std::string base = engine_url() + "/" + index_;
  EXPECT_NE(log.find("[DEBUG] PUT " + base + "/_doc/c1 [status:201 duration:"), std::string::npos)
      << log;
  EXPECT_NE(log.find("[DEBUG] POST " + engine_url() + "/_bulk?refresh=true [status:200"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("[DEBUG] POST " + base + "/_search [status:200"), std::string::npos) << log;
  EXPECT_NE(log.find("[DEBUG] GET " + base + "/_doc/missing [status:404"), std::string::npos)
      << log;
  EXPECT_NE(log.find(R"(> {"configuration":{"host":{"sensitive":false,"value":"db.example.com"})"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find(R"("password":{"sensitive":true,"value":"***"})"), std::string::npos) << log;
  EXPECT_NE(log.find(R"(< {"_id":"c1")"), std::string::npos) << log;
  EXPECT_EQ(log.find(password), std::string::npos) << log;
  EXPECT_EQ(log.find("Authorization"), std::string::npos) << log;
  EXPECT_EQ(log.find("ApiKey"), std::string::npos) << log;
}

TEST_F(ClientTest, NoTraceUnlessAskedFor) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  logging::setup(logging::Format::kText, spdlog::level::debug, sink);
  client_->info();
  logging::transport_logger()->flush();
  logging::setup(logging::Format::kText, spdlog::level::info);
  EXPECT_EQ(captured.str().find("GET " + engine_url() + "/ [status:"), std::string::npos)
      << captured.str();
}

}  // namespace
}  // namespace connectors::es
