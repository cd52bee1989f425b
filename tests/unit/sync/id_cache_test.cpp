#include "sync/id_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace connectors::sync {
namespace {

namespace fs = std::filesystem;

IndexState state(long long seq0, long long seq1, const std::string& uuid = "u1") {
  return IndexState{uuid, {{0, seq0, seq0, "h0"}, {1, seq1, seq1, "h1"}}};
}

ExistingIds ids_of(int n) {
  ExistingIds ids;
  for (int i = 0; i < n; ++i) ids.add("doc-" + std::to_string(i), ExistingIds::version_of_millis(i));
  ids.seal();
  return ids;
}

class IdCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("id-cache-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                        "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(IndexState, CountsOperationsOnlyWithinOneHistory) {
  EXPECT_EQ(state(10, 5).operations_since(state(4, 5)), 6);
  EXPECT_EQ(state(10, 5).operations_since(state(10, 5)), 0);
  EXPECT_TRUE(state(10, 5).same_as(state(10, 5)));
  EXPECT_FALSE(state(10, 6).same_as(state(10, 5)));
  EXPECT_EQ(state(10, 5, "u2").operations_since(state(4, 5)), -1);  // index re-created
  IndexState reset = state(10, 5);
  reset.shards[1].history_uuid = "other";
  EXPECT_EQ(reset.operations_since(state(4, 5)), -1);  // shard restored or reset
  EXPECT_EQ(state(3, 5).operations_since(state(4, 5)), -1);  // went backwards
  IndexState fewer{"u1", {{0, 10, 10, "h0"}}};
  EXPECT_EQ(fewer.operations_since(state(4, 5)), -1);  // a primary is missing
  IndexState busy = state(10, 5);
  busy.shards[0].local_checkpoint = 9;
  EXPECT_FALSE(busy.settled());
  EXPECT_TRUE(state(10, 5).settled());
  EXPECT_TRUE(IndexState::from_json(state(7, 8).to_json()).same_as(state(7, 8)));
  EXPECT_TRUE(IndexState::from_json({{"uuid", "x"}}).empty());
}

TEST_F(IdCacheTest, RoundTripsWhenTheIndexIsUnchanged) {
  IdCache cache(dir_.string(), "search-a");
  ExistingIds saved = ids_of(1000);
  std::string why;
  ASSERT_TRUE(cache.save(state(999, 3), saved, why)) << why;
  ExistingIds loaded;
  ASSERT_TRUE(cache.load(state(999, 3), loaded, why)) << why;
  ASSERT_EQ(loaded.size(), 1000u);
  EXPECT_EQ(loaded.check_and_mark("doc-7", ExistingIds::version_of_millis(7)), Presence::kUnchanged);
  EXPECT_EQ(loaded.check_and_mark("doc-8", ExistingIds::version_of_millis(9)), Presence::kChanged);
  EXPECT_EQ(loaded.check_and_mark("doc-1000", 1), Presence::kNew);
}

TEST_F(IdCacheTest, RefusedAfterAnyWriteOrForAnotherIndexOrCluster) {
  IdCache cache(dir_.string(), "search-a");
  ExistingIds saved = ids_of(10);
  std::string why;
  ASSERT_TRUE(cache.save(state(9, 3), saved, why));
  ExistingIds loaded;
  EXPECT_FALSE(cache.load(state(10, 3), loaded, why));  // one write since
  EXPECT_NE(why.find("changed"), std::string::npos) << why;
  EXPECT_FALSE(cache.load(state(9, 3, "recreated"), loaded, why));
  EXPECT_EQ(loaded.size(), 0u);
  EXPECT_FALSE(IdCache(dir_.string(), "search-b").load(state(9, 3), loaded, why));
  EXPECT_FALSE(IdCache(dir_.string(), "search").load(state(9, 3), loaded, why));
  EXPECT_EQ(loaded.size(), 0u);
  EXPECT_TRUE(cache.load(state(9, 3), loaded, why)) << why;
}

TEST_F(IdCacheTest, SavingForARecreatedIndexDropsTheOldFileOnly) {
  IdCache a(dir_.string(), "search-a");
  IdCache ab(dir_.string(), "search-a-b");
  ExistingIds saved = ids_of(10);
  std::string why;
  ASSERT_TRUE(a.save(state(9, 3, "old"), saved, why));
  ASSERT_TRUE(ab.save(state(9, 3, "other"), saved, why));
  ASSERT_TRUE(a.save(state(1, 1, "new"), saved, why));
  EXPECT_FALSE(fs::exists(a.path_for("old")));
  EXPECT_TRUE(fs::exists(a.path_for("new")));
  EXPECT_TRUE(fs::exists(ab.path_for("other")));  // a longer name is another index
  a.remove();
  EXPECT_FALSE(fs::exists(a.path_for("new")));
  EXPECT_TRUE(fs::exists(ab.path_for("other")));
}

TEST_F(IdCacheTest, ADamagedOrTruncatedFileIsNeverTrusted) {
  IdCache cache(dir_.string(), "search-a");
  ExistingIds saved = ids_of(100);
  std::string why;
  ASSERT_TRUE(cache.save(state(99, 0), saved, why));
  auto size = fs::file_size(cache.path_for("u1"));
  {
    std::fstream f(cache.path_for("u1"), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 100));
    char c = 0;
    f.read(&c, 1);
    f.seekp(static_cast<std::streamoff>(size - 100));
    c = static_cast<char>(c ^ 0x40);
    f.write(&c, 1);
  }
  ExistingIds loaded;
  EXPECT_FALSE(cache.load(state(99, 0), loaded, why));
  EXPECT_NE(why.find("damaged"), std::string::npos) << why;
  ASSERT_TRUE(cache.save(state(99, 0), saved, why));
  fs::resize_file(cache.path_for("u1"), size - 8);
  EXPECT_FALSE(cache.load(state(99, 0), loaded, why));
  std::ofstream(cache.path_for("u1")) << "not a cache";
  EXPECT_FALSE(cache.load(state(99, 0), loaded, why));
  cache.remove();
  EXPECT_FALSE(fs::exists(cache.path_for("u1")));
  EXPECT_FALSE(cache.load(state(99, 0), loaded, why));
  EXPECT_EQ(loaded.size(), 0u);
}

TEST(ExistingIds, ApplySyncLeavesThePictureOfTheIndexAfterTheSync) {
  ExistingIds ids = ids_of(4);  // doc-0..doc-3
  ids.check_and_mark("doc-0", ExistingIds::version_of_millis(0));   // unchanged
  ids.check_and_mark("doc-1", ExistingIds::version_of_millis(50));  // changed, re-sent
  // doc-2 and doc-3 not yielded: deleted. doc-9 new.
  ids.apply_sync({{{ExistingIds::id_hash("doc-1"), ExistingIds::version_of_millis(50)}},
                  {{ExistingIds::id_hash("doc-9"), ExistingIds::version_of_millis(9)}}});
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids.seen(), 0u);
  EXPECT_EQ(ids.check_and_mark("doc-0", ExistingIds::version_of_millis(0)), Presence::kUnchanged);
  EXPECT_EQ(ids.check_and_mark("doc-1", ExistingIds::version_of_millis(50)), Presence::kUnchanged);
  EXPECT_EQ(ids.check_and_mark("doc-9", ExistingIds::version_of_millis(9)), Presence::kUnchanged);
  EXPECT_EQ(ids.check_and_mark("doc-2", ExistingIds::version_of_millis(2)), Presence::kNew);
}

TEST(ExistingIds, RestoreRefusesUnsortedEntries) {
  ExistingIds ids;
  EXPECT_FALSE(ids.restore({{5, 1}, {3, 1}}));
  EXPECT_FALSE(ids.restore({{3, 1}, {3, 2}}));
  EXPECT_EQ(ids.size(), 0u);
  EXPECT_TRUE(ids.restore({{3, 1}, {5, 1}}));
  EXPECT_EQ(ids.size(), 2u);
}

TEST(WriteTally, GathersTheWritesOfAllSenders) {
  WriteTally tally;
  std::vector<IdEntry> a = {{1, 1}, {2, 2}};
  std::vector<IdEntry> b;
  tally.written(a, 3);  // two documents and a delete
  tally.written(b, 1);
  EXPECT_EQ(tally.operations(), 4);
  std::vector<IdEntry> many(WriteTally::kBlock, IdEntry{7, 7});
  tally.written(many, static_cast<long long>(many.size()));
  auto blocks = tally.take();
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].size(), WriteTally::kBlock);
  EXPECT_EQ(blocks[1].size(), 2u);
  EXPECT_TRUE(tally.take().empty());
}

}  // namespace
}  // namespace connectors::sync
