// The client's retry policy against the real engine behind a fault-injecting proxy.
#include <gtest/gtest.h>

#include "support.h"

namespace connectors::es {
namespace {

using connectors::testing::engine_url;
using connectors::testing::fast_retry_options;
using connectors::testing::FaultProxy;
using connectors::testing::test_index;

class RetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ENGINE();
    proxy_ = std::make_unique<FaultProxy>(engine_url());
    client_ = std::make_unique<Client>(fast_retry_options(proxy_->url()));
    index_ = test_index("retry");
  }
  void TearDown() override {
    Client direct(fast_retry_options(engine_url()));
    if (direct.index_exists(index_)) direct.delete_index(index_);
  }
  long long forwarded(const std::string& key) {
    auto stats = proxy_->stats();
    return stats["forwarded_by_path"].value(key, 0LL);
  }

  std::unique_ptr<FaultProxy> proxy_;
  std::unique_ptr<Client> client_;
  std::string index_;
};

TEST_F(RetryTest, TooManyRequestsIsRetriedThenSucceeds) {
  proxy_->add_rule({{"status", 429}, {"count", 3}, {"path_regex", "_doc"}});
  auto result = client_->index_document(index_, std::string("a"), {{"x", 1}});
  EXPECT_EQ(result.result, "created");
  auto stats = proxy_->stats();
  EXPECT_EQ(stats["rules"][0]["injected"], 3);
  EXPECT_EQ(forwarded("PUT /" + index_ + "/_doc/a"), 1);
}

TEST_F(RetryTest, BulkUnavailableIsRetried) {
  proxy_->add_rule({{"status", 503}, {"count", 2}, {"path_regex", "_bulk"}});
  proxy_->add_rule({{"status", 502}, {"count", 1}, {"path_regex", "_bulk"}});
  BulkBuilder builder;
  builder.add(BulkOp::kIndex, index_, "1", R"({"x":1})");
  auto response = client_->bulk(builder.take(), std::nullopt, Refresh::kYes);
  EXPECT_FALSE(response.errors);
  EXPECT_EQ(forwarded("POST /_bulk"), 1);
  Client direct(fast_retry_options(engine_url()));
  EXPECT_EQ(direct.count(index_), 1);
}

TEST_F(RetryTest, GivesUpAfterMaxRetriesWithTheStatus) {
  proxy_->add_rule({{"status", 429}, {"count", -1}});
  try {
    client_->info();
    FAIL() << "expected EsError";
  } catch (const EsError& e) {
    EXPECT_EQ(e.status(), 429);
    EXPECT_EQ(e.type(), "es_rejected_execution_exception");
  }
  EXPECT_EQ(proxy_->stats()["rules"][0]["injected"], 6);  // 1 try + 5 retries
}

TEST_F(RetryTest, OtherClientErrorsAreNotRetried) {
  proxy_->add_rule({{"status", 400}, {"count", -1}, {"path_regex", "_doc"}});
  EXPECT_THROW(client_->index_document(index_, std::string("a"), {{"x", 1}}), EsError);
  EXPECT_EQ(proxy_->stats()["rules"][0]["injected"], 1);
}

TEST_F(RetryTest, DroppedConnectionIsRetried) {
  proxy_->add_rule({{"action", "drop"}, {"count", 2}, {"path_regex", "_doc"}});
  EXPECT_EQ(client_->index_document(index_, std::string("d"), {{"x", 1}}).result, "created");
}

TEST_F(RetryTest, ConnectionRefusedEndsWithAConnectionError) {
  auto options = fast_retry_options("http://127.0.0.1:1");
  options.max_retries = 2;
  Client refused(options);
  try {
    refused.info();
    FAIL() << "expected EsError";
  } catch (const EsError& e) {
    EXPECT_TRUE(e.is_connection_error());
    EXPECT_NE(std::string(e.what()).find("3 attempts"), std::string::npos) << e.what();
  }
}

TEST_F(RetryTest, CancelStopsRetrying) {
  proxy_->add_rule({{"status", 503}, {"count", -1}});
  auto options = fast_retry_options(proxy_->url());
  options.retry_base = std::chrono::milliseconds(2000);
  options.retry_cap = std::chrono::milliseconds(20000);
  Client slow(options);
  std::stop_source stop;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(slow.info(stop.get_token()), Cancelled);
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

// An answer that is not what the engine sends (a proxy's page, an empty
// object) is a typed EsError naming the request, never a JSON exception or a
// read past an empty object.
TEST_F(RetryTest, AnswersThatAreNotJsonAreTypedErrorsNamingTheRequest) {
  Client direct(fast_retry_options(engine_url()));
  direct.create_index(index_);
  proxy_->add_rule({{"status", 200}, {"count", 1}, {"path_regex", "_count"}, {"body", "<html>gateway</html>"}});
  try {
    client_->count(index_);
    FAIL() << "no error";
  } catch (const EsError& e) {
    EXPECT_EQ(e.type(), "invalid_response");
    EXPECT_NE(std::string(e.what()).find("count " + index_), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("<html>gateway"), std::string::npos) << e.what();
  }
  proxy_->add_rule({{"status", 200}, {"count", 1}, {"path_regex", "_mapping"}, {"body", nlohmann::json::object()}});
  try {
    client_->get_mapping(index_);
    FAIL() << "no error";
  } catch (const EsError& e) {
    EXPECT_EQ(e.type(), "invalid_response");
    EXPECT_NE(std::string(e.what()).find(index_ + "/_mapping"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(client_->get_mapping(index_).is_object());  // the real answer reads as before
}

}  // namespace
}  // namespace connectors::es
