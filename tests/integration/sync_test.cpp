// The sync engine against the real engine: full syncs, no-change resyncs,
// deletions, fault storms, a failing source, cancellation, per-item errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "core/errors.h"
#include "sources/generator/generator_source.h"
#include "sources/registry.h"
#include "support.h"
#include "sync_support.h"
#include "sync/full_sync.h"

namespace connectors::sync {
namespace {

namespace fs = std::filesystem;
using connectors::testing::engine_url;
using connectors::testing::fast_retry_options;
using connectors::testing::FaultProxy;
using connectors::testing::test_index;
using es::json;

using SyncTest = connectors::testing::SyncFixture;

TEST_F(SyncTest, DirectoryFirstSyncResyncAndDeletions) {
  make_files(60);
  json config = {{"directory", dir_.string()}};
  auto first = sync("dir", config, options());
  ASSERT_EQ(first.status, SyncStatus::kCompleted) << first.error;
  EXPECT_EQ(first.indexed_document_count, 60);
  EXPECT_EQ(count(), 60);
  auto hits = client_->search(index_, {{"query", {{"match", {{"body", "file 7"}}}}}});
  EXPECT_GT(hits["hits"]["total"]["value"].get<int>(), 0);

  auto again = sync("dir", config, options());
  EXPECT_EQ(again.status, SyncStatus::kCompleted);
  EXPECT_EQ(again.indexed_document_count, 0);
  EXPECT_EQ(again.docs_unchanged, 60);
  EXPECT_EQ(again.deleted_document_count, 0);

  // Delete 10 % of the files: exactly those documents go, no other.
  std::set<std::string> removed;
  for (int i = 0; i < 60; i += 10) {
    fs::path path = dir_ / (i % 3 == 0 ? "sub" : "") / ("file-" + std::to_string(i) + ".txt");
    removed.insert(fs::absolute(path).string());
    fs::remove(path);
  }
  auto after = sync("dir", config, options());
  EXPECT_EQ(after.status, SyncStatus::kCompleted);
  EXPECT_EQ(after.deleted_document_count, 6);
  EXPECT_EQ(after.indexed_document_count, 0);
  EXPECT_EQ(count(), 54);
  auto all = client_->search(index_, {{"size", 100}, {"_source", json::array({"path"})}});
  for (const auto& hit : all["hits"]["hits"]) {
    EXPECT_EQ(removed.count(hit["_source"]["path"].get<std::string>()), 0u);
  }
}

TEST_F(SyncTest, BasicRulesExcludeAndRemoveWhatTheyExclude) {
  make_files(30);  // files 0, 3, 6, ... (10 of them) are in sub/
  json config = {{"directory", dir_.string()}};
  ASSERT_EQ(sync("dir", config, options()).indexed_document_count, 30);
  auto o = options();
  o.rules = BasicRules::from_filtering(
      {{"rules", json::array({{{"id", "no-sub"}, {"policy", "exclude"}, {"field", "relative_path"},
                               {"rule", "starts_with"}, {"value", "sub/"}, {"order", 1}}})}});
  auto result = sync("dir", config, o);
  EXPECT_EQ(result.status, SyncStatus::kCompleted) << result.error;
  EXPECT_EQ(result.docs_filtered, 10);
  EXPECT_EQ(result.deleted_document_count, 10);  // excluded now: removed, as the framework does
  EXPECT_EQ(count(), 20);
}

TEST_F(SyncTest, GeneratorChangesAndDeletesExactly) {
  json gen0 = {{"documents", 3000}, {"document_size", 400}};
  ASSERT_EQ(sync("generator", gen0, options()).indexed_document_count, 3000);
  json gen1 = gen0;
  gen1["generation"] = 1;
  gen1["changed_fraction"] = 0.1;
  gen1["deleted_fraction"] = 0.05;
  auto [expected_changed, expected_deleted] = connectors::testing::generator_diff(gen0, gen1);
  auto result = sync("generator", gen1, options());
  EXPECT_EQ(result.status, SyncStatus::kCompleted);
  EXPECT_EQ(result.deleted_document_count, expected_deleted);
  EXPECT_EQ(result.indexed_document_count, expected_changed);
  EXPECT_EQ(count(), 3000 - expected_deleted);
}

TEST_F(SyncTest, TooManyRequestsStormEndsWithEveryDocumentOnce) {
  FaultProxy proxy(engine_url());
  proxy.add_rule({{"status", 429}, {"count", 40}, {"every", 2}, {"path_regex", "_bulk"}});
  auto result = sync("generator", {{"documents", 5000}, {"document_size", 300}}, options(), proxy.url());
  EXPECT_EQ(result.status, SyncStatus::kCompleted) << result.error;
  EXPECT_EQ(result.indexed_document_count, 5000);
  EXPECT_GT(result.bulk_retries, 0);
  EXPECT_EQ(proxy.stats()["rules"][0]["injected"], 40);
  EXPECT_EQ(count(), 5000);
}

TEST_F(SyncTest, UnavailableStormEndsWithEveryDocumentOnce) {
  FaultProxy proxy(engine_url());
  proxy.add_rule({{"status", 503}, {"count", 25}, {"path_regex", "_bulk"}});
  auto result = sync("generator", {{"documents", 4000}, {"document_size", 300}}, options(), proxy.url());
  EXPECT_EQ(result.status, SyncStatus::kCompleted) << result.error;
  EXPECT_EQ(result.indexed_document_count, 4000);
  EXPECT_EQ(count(), 4000);
}

TEST_F(SyncTest, SourceFailingHalfWayDeletesNothing) {
  json gen0 = {{"documents", 1000}, {"document_size", 200}};
  ASSERT_EQ(sync("generator", gen0, options()).status, SyncStatus::kCompleted);
  json failing = gen0;
  failing["generation"] = 1;
  failing["deleted_fraction"] = 0.5;
  failing["fail_after"] = 500;
  auto result = sync("generator", failing, options());
  EXPECT_EQ(result.status, SyncStatus::kFailed);
  EXPECT_NE(result.error.find("simulated failure"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("nothing was deleted"), std::string::npos) << result.error;
  EXPECT_EQ(result.deleted_document_count, 0);
  EXPECT_EQ(count(), 1000);
}

TEST_F(SyncTest, CancelStopsWithinTwoSeconds) {
  std::stop_source stop;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  // A slow source (1 ms per document) that would run for 100 s.
  auto result = sync("generator", {{"documents", 100000}, {"delay_us", 1000}}, options(), "",
                     stop.get_token());
  auto elapsed = std::chrono::steady_clock::now() - started;
  canceller.join();
  EXPECT_EQ(result.status, SyncStatus::kCanceled);
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500 + 2000));
  EXPECT_EQ(result.deleted_document_count, 0);
}

// A source whose third document does not fit the index mapping.
class MixedSource final : public sources::Source {
 public:
  void ping(std::stop_token) override {}
  void documents(sources::DocumentSink& sink, std::stop_token) override {
    for (int i = 0; i < 5; ++i) {
      sources::Document doc{"m" + std::to_string(i), {{"n", i}}, "2024-01-01T00:00:00+00:00"};
      if (i == 2) doc.fields["n"] = "not a number";
      sink.emit(std::move(doc));
    }
  }
};

TEST_F(SyncTest, PerItemMappingErrorIsCountedAndNamed) {
  client_->create_index(index_, {{"mappings", {{"properties", {{"n", {{"type", "long"}}}}}}}});
  MixedSource source;
  auto result = run_full_sync(fast_retry_options(engine_url()), source, options());
  EXPECT_EQ(result.status, SyncStatus::kCompletedWithErrors);
  EXPECT_EQ(result.indexed_document_count, 4);
  EXPECT_EQ(result.failed_document_count, 1);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].id, "m2");
  EXPECT_TRUE(result.errors[0].type == "mapper_parsing_exception" ||
              result.errors[0].type == "document_parsing_exception")
      << result.errors[0].type;
  EXPECT_NE(result.error.find("m2"), std::string::npos) << result.error;
}

TEST_F(SyncTest, OversizedDocumentIsSkippedAndReported) {
  auto o = options();
  o.bulk.max_text_document_size_mib = 1;
  auto result = sync("generator", {{"documents", 3}, {"document_size", 2 << 20}}, o);
  EXPECT_EQ(result.status, SyncStatus::kCompletedWithErrors);
  EXPECT_EQ(result.failed_document_count, 3);
  ASSERT_FALSE(result.errors.empty());
  EXPECT_EQ(result.errors[0].type, "document_too_large");
  EXPECT_EQ(result.errors[0].id, "doc-000000000");
}

TEST_F(SyncTest, PipelineIsCreatedAndControlFieldsRemoved) {
  auto o = options();
  o.pipeline = index_ + "-pipeline";
  auto result = sync("generator", {{"documents", 10}}, o);
  ASSERT_EQ(result.status, SyncStatus::kCompleted) << result.error;
  auto doc = client_->get_document(index_, "doc-000000001");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->source["id"], "doc-000000001");
  EXPECT_FALSE(doc->source.contains("_extract_binary_content"));
  EXPECT_FALSE(doc->source.contains("_reduce_whitespace"));
  EXPECT_FALSE(doc->source.contains("_run_ml_inference"));
  client_->request("DELETE", "/_ingest/pipeline/" + o.pipeline);
}

}  // namespace
}  // namespace connectors::sync
