// The id cache against the real engine: a sync of an index nobody wrote to
// since the last sync reads no id back; any other write, before or during a
// sync, or a re-created index, makes the next sync read the ids again and
// reconcile exactly.
#include <gtest/gtest.h>

#include <filesystem>

#include "sources/generator/generator_source.h"
#include "sync/id_cache.h"
#include "sync_support.h"

namespace connectors::sync {
namespace {

namespace fs = std::filesystem;
using connectors::testing::engine_url;
using connectors::testing::fast_retry_options;
using connectors::testing::FaultProxy;
using es::json;

class IdCacheSyncTest : public connectors::testing::SyncFixture {
 protected:
  void SetUp() override {
    SyncFixture::SetUp();
    cache_dir_ = fs::temp_directory_path() / ("id-cache-it-" + index_);
    fs::remove_all(cache_dir_);
  }
  void TearDown() override {
    fs::remove_all(cache_dir_);
    SyncFixture::TearDown();
  }
  SyncOptions cached() {
    SyncOptions o = options();
    o.id_cache_dir = cache_dir_.string();
    return o;
  }
  // A document as a connector writes it, but by someone else.
  void write_behind_our_back(const std::string& id, const std::string& timestamp) {
    client_->index_document(index_, id, {{"id", id}, {"_timestamp", timestamp}, {"title", "foreign"}},
                            std::nullopt, es::Refresh::kYes);
  }
  static long long searches(FaultProxy& proxy) {
    long long n = 0;
    json stats = proxy.stats();
    for (const auto& [path, count] : stats["forwarded_by_path"].items()) {
      if (path.find("_search") != std::string::npos) n += count.get<long long>();
    }
    return n;
  }

  // The cache's file for the index as it is now.
  std::string cache_file() { return IdCache(cache_dir_.string(), index_).path_for(read_index_state(*client_, index_).uuid); }

  const json gen0_ = {{"documents", 2000}, {"document_size", 300}};
  fs::path cache_dir_;
};

TEST_F(IdCacheSyncTest, AnUnchangedIndexIsNotReadAgain) {
  auto first = sync("generator", gen0_, cached());
  ASSERT_EQ(first.status, SyncStatus::kCompleted) << first.error;
  EXPECT_FALSE(first.ids_from_cache);
  EXPECT_TRUE(first.id_cache_saved);

  FaultProxy proxy(engine_url());
  auto again = sync("generator", gen0_, cached(), proxy.url());
  ASSERT_EQ(again.status, SyncStatus::kCompleted) << again.error;
  EXPECT_TRUE(again.ids_from_cache);
  EXPECT_EQ(again.existing_documents, 2000);
  EXPECT_EQ(again.docs_unchanged, 2000);
  EXPECT_EQ(again.indexed_document_count, 0);
  EXPECT_EQ(searches(proxy), 0) << proxy.stats().dump();
  EXPECT_TRUE(again.id_cache_saved);

  // Without the cache the same sync reads every id back.
  FaultProxy plain(engine_url());
  auto scanned = sync("generator", gen0_, options(), plain.url());
  EXPECT_EQ(scanned.docs_unchanged, 2000);
  EXPECT_GT(searches(plain), 0) << plain.stats().dump();
}

TEST_F(IdCacheSyncTest, ChangesAndDeletionsAreExactAndTheNextSyncStillTrustsIt) {
  ASSERT_TRUE(sync("generator", gen0_, cached()).id_cache_saved);
  json gen1 = gen0_;
  gen1["generation"] = 1;
  gen1["changed_fraction"] = 0.1;
  gen1["deleted_fraction"] = 0.05;
  auto [changed, deleted] = connectors::testing::generator_diff(gen0_, gen1);
  ASSERT_GT(deleted, 0);
  ASSERT_GT(changed, 0);
  auto result = sync("generator", gen1, cached());
  ASSERT_EQ(result.status, SyncStatus::kCompleted) << result.error;
  EXPECT_TRUE(result.ids_from_cache);
  EXPECT_EQ(result.deleted_document_count, deleted);
  EXPECT_EQ(result.indexed_document_count, changed);
  EXPECT_EQ(count(), 2000 - deleted);
  EXPECT_TRUE(result.id_cache_saved);

  // The saved set is the index after those writes: the same generation again
  // finds every document unchanged, and nothing to delete.
  auto again = sync("generator", gen1, cached());
  EXPECT_TRUE(again.ids_from_cache);
  EXPECT_EQ(again.docs_unchanged, 2000 - deleted);
  EXPECT_EQ(again.indexed_document_count, 0);
  EXPECT_EQ(again.deleted_document_count, 0);
  // And it agrees with what a sync reading the index finds.
  auto scanned = sync("generator", gen1, options());
  EXPECT_EQ(scanned.docs_unchanged, 2000 - deleted);
  EXPECT_EQ(scanned.indexed_document_count, 0);
}

TEST_F(IdCacheSyncTest, AWriteByAnyoneElseMeansTheIdsAreReadAgain) {
  ASSERT_TRUE(sync("generator", gen0_, cached()).id_cache_saved);
  // Someone re-writes one of our documents with another timestamp and adds one.
  auto doc = sources::generate_document(sources::GeneratorSettings{2000, 300}, 7);
  ASSERT_TRUE(doc);
  write_behind_our_back(doc->id, "2001-01-01T00:00:00+00:00");
  write_behind_our_back("foreign-1", "2001-01-01T00:00:00+00:00");
  auto result = sync("generator", gen0_, cached());
  ASSERT_EQ(result.status, SyncStatus::kCompleted) << result.error;
  EXPECT_FALSE(result.ids_from_cache);
  EXPECT_EQ(result.indexed_document_count, 1);  // ours again
  EXPECT_EQ(result.deleted_document_count, 1);  // not in the source
  EXPECT_EQ(count(), 2000);
  EXPECT_TRUE(result.id_cache_saved);
  auto restored = client_->get_document(index_, doc->id);
  ASSERT_TRUE(restored);
  EXPECT_NE(restored->source.value("title", ""), "foreign");
}

// Yields the generator's documents and, half-way, writes one of its own into
// the index, as another process might.
class WriterDuringSync final : public sources::Source {
 public:
  explicit WriterDuringSync(std::function<void()> write) : write_(std::move(write)) {}
  void ping(std::stop_token) override {}
  void documents(sources::DocumentSink& sink, std::stop_token) override {
    sources::GeneratorSettings s{2000, 300};
    for (long long i = 0; i < s.documents; ++i) {
      if (i == 1000) write_();
      sink.emit(*sources::generate_document(s, i));
    }
  }

 private:
  std::function<void()> write_;
};

TEST_F(IdCacheSyncTest, AWriterDuringTheSyncPreventsSavingIt) {
  ASSERT_TRUE(sync("generator", gen0_, cached()).id_cache_saved);
  WriterDuringSync source([&] { write_behind_our_back("foreign-2", "2001-01-01T00:00:00+00:00"); });
  auto during = run_full_sync(fast_retry_options(engine_url()), source, cached());
  ASSERT_EQ(during.status, SyncStatus::kCompleted) << during.error;
  EXPECT_TRUE(during.ids_from_cache);
  EXPECT_FALSE(during.id_cache_saved);
  EXPECT_FALSE(fs::exists(cache_file()));
  client_->refresh(index_);
  EXPECT_EQ(count(), 2001);  // the foreign document came after the ids were known

  auto next = sync("generator", gen0_, cached());
  EXPECT_FALSE(next.ids_from_cache);
  EXPECT_EQ(next.deleted_document_count, 1);
  EXPECT_EQ(next.indexed_document_count, 0);
  EXPECT_EQ(count(), 2000);
}

TEST_F(IdCacheSyncTest, ARecreatedIndexIsReadAgain) {
  ASSERT_TRUE(sync("generator", gen0_, cached()).id_cache_saved);
  client_->delete_index(index_);
  write_behind_our_back("foreign-3", "2001-01-01T00:00:00+00:00");
  auto result = sync("generator", gen0_, cached());
  ASSERT_EQ(result.status, SyncStatus::kCompleted) << result.error;
  EXPECT_FALSE(result.ids_from_cache);
  EXPECT_EQ(result.indexed_document_count, 2000);
  EXPECT_EQ(result.deleted_document_count, 1);
  EXPECT_EQ(count(), 2000);
}

TEST_F(IdCacheSyncTest, AFailedSyncLeavesNoCache) {
  ASSERT_TRUE(sync("generator", gen0_, cached()).id_cache_saved);
  json failing = gen0_;
  failing["generation"] = 1;
  failing["changed_fraction"] = 0.5;
  failing["fail_after"] = 1500;
  auto result = sync("generator", failing, cached());
  EXPECT_EQ(result.status, SyncStatus::kFailed);
  EXPECT_FALSE(result.id_cache_saved);
  EXPECT_FALSE(fs::exists(cache_file()));
  // The documents it did re-send are found changed by a sync reading the index.
  json gen1 = failing;
  gen1.erase("fail_after");
  auto next = sync("generator", gen1, cached());
  EXPECT_EQ(next.status, SyncStatus::kCompleted) << next.error;
  EXPECT_FALSE(next.ids_from_cache);
  EXPECT_TRUE(next.id_cache_saved);
}

}  // namespace
}  // namespace connectors::sync
