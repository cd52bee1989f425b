// The sync engine's counters against the real engine when a sync does not go
// smoothly: _bulk requests refused as too large (413, through the fault proxy),
// a cancel under load, the error monitor tripping. However the sync ends, the
// counters equal what the engine holds.
#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "support.h"
#include "sync/full_sync.h"
#include "sync_support.h"

namespace connectors::sync {
namespace {

using connectors::testing::engine_url;
using connectors::testing::FaultProxy;
using es::json;

using SyncFaultsTest = connectors::testing::SyncFixture;

// `n` documents, the i-th made by `make(i)`.
class ShapedSource final : public sources::Source {
 public:
  ShapedSource(int n, std::function<sources::Document(int)> make) : n_(n), make_(std::move(make)) {}
  void ping(std::stop_token) override {}
  void documents(sources::DocumentSink& sink, std::stop_token stop) override {
    for (int i = 0; i < n_; ++i) {
      if (stop.stop_requested()) throw Cancelled();
      sink.emit(make_(i));
    }
  }

 private:
  int n_;
  std::function<sources::Document(int)> make_;
};

sources::Document text_document(const std::string& id, size_t bytes) {
  return {id, {{"body", std::string(bytes, 'x')}}, "2024-01-01T00:00:00+00:00"};
}

// Waits until the proxy has relayed every request it took — a client that gives
// up on a request does not take it back from the proxy — so that the index
// holds all it will ever get from the sync.
void wait_until_relayed(FaultProxy& proxy) {
  for (int i = 0; i < 200; ++i) {
    json stats = proxy.stats();
    if (stats["requests_total"].get<long long>() ==
        stats["forwarded"].get<long long>() + stats["upstream_errors"].get<long long>()) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL() << "the proxy still holds requests after 10 s";
}

TEST_F(SyncFaultsTest, TooLargeBulkIsSplitAndOnlyTheOversizedDocumentFails) {
  FaultProxy proxy(engine_url());
  constexpr int kLimit = 100000;  // bytes, as a small http.max_content_length would refuse
  proxy.add_rule(
      {{"status", 413}, {"count", -1}, {"path_regex", "_bulk"}, {"body_larger_than", kLimit}});
  // 200 documents of 1 KB make a 200 KB request; "big" alone is 300 KB.
  ShapedSource source(3001, [](int i) {
    return i == 1234 ? text_document("big", 300000)
                     : text_document("doc-" + std::to_string(i), 1000);
  });
  auto result = sync(source, options(), proxy.url());
  EXPECT_EQ(result.status, SyncStatus::kCompletedWithErrors) << result.error;
  EXPECT_EQ(result.failed_document_count, 1);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].id, "big");
  EXPECT_EQ(result.errors[0].type, "request_entity_too_large");
  EXPECT_NE(result.error.find("big"), std::string::npos) << result.error;
  EXPECT_EQ(result.indexed_document_count, 3000);
  EXPECT_EQ(count(), 3000);
  EXPECT_FALSE(client_->get_document(index_, "big").has_value());
  EXPECT_GT(proxy.stats()["rules"][0]["injected"].get<int>(), 0);
}

TEST_F(SyncFaultsTest, CancelUnderLoadIsQuickAndCountsWhatTheEngineHas) {
  // A loaded engine: every _bulk takes 500 ms more, so that the senders have
  // requests in flight when the cancel comes.
  FaultProxy proxy(engine_url());
  proxy.add_rule({{"action", "delay"}, {"delay_ms", 500}, {"count", -1}, {"path_regex", "_bulk"}});
  auto o = options();
  o.bulk.max_concurrency = 5;
  o.bulk.chunk_size = 500;
  o.progress_interval = std::chrono::milliseconds(50);
  std::stop_source stop;
  std::chrono::steady_clock::time_point stop_requested;
  o.progress = [&](const SyncCounters& counters) {
    // Mid-way, with at least two requests of 500 in flight: as the job runner
    // cancels, from this thread.
    long long in_flight = counters.bulk_requests * 500 - counters.indexed_document_count;
    if (!stop.stop_requested() && counters.indexed_document_count >= 5000 && in_flight >= 1000) {
      stop_requested = std::chrono::steady_clock::now();
      stop.request_stop();
    }
  };
  auto result = sync("generator", {{"documents", 100000}, {"document_size", 1000}}, o, proxy.url(),
                     stop.get_token());
  auto wind_down = std::chrono::steady_clock::now() - stop_requested;
  wait_until_relayed(proxy);
  client_->refresh(index_);
  ASSERT_TRUE(stop.stop_requested()) << "the sync ended before it was canceled: " << result.error;
  RecordProperty(
      "wind_down_ms",
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(wind_down).count()));
  RecordProperty("indexed", static_cast<int>(result.indexed_document_count));
  EXPECT_EQ(result.status, SyncStatus::kCanceled) << result.error;
  EXPECT_LT(wind_down, std::chrono::seconds(2));
  EXPECT_EQ(result.unconfirmed_operations, 0);
  EXPECT_EQ(result.indexed_document_count, count());
  EXPECT_LT(count(), 100000);
}

TEST_F(SyncFaultsTest, ErrorMonitorTrippingCountsWhatTheEngineHas) {
  client_->create_index(index_, {{"mappings", {{"properties", {{"n", {{"type", "long"}}}}}}}});
  // Every 5th document does not fit the mapping: the monitor trips at 50 errors.
  ShapedSource source(5000, [](int i) {
    sources::Document doc{"m" + std::to_string(i), {{"n", i}}, "2024-01-01T00:00:00+00:00"};
    if (i % 5 == 4) doc.fields["n"] = "not a number";
    return doc;
  });
  auto o = options();
  o.bulk.error_monitor.max_total_errors = 50;
  o.bulk.error_monitor.max_error_rate = 1;
  auto result = sync(source, o);
  EXPECT_EQ(result.status, SyncStatus::kFailed);
  EXPECT_NE(result.error.find("too many document errors"), std::string::npos) << result.error;
  EXPECT_EQ(result.indexed_document_count, count());
  EXPECT_GT(result.failed_document_count, 50);
}

}  // namespace
}  // namespace connectors::sync
