#include "sync/existing_ids.h"

#include <gtest/gtest.h>

#include <string>

namespace connectors::sync {
namespace {

TEST(ExistingIds, NewUnchangedChangedAndUnseen) {
  ExistingIds ids;
  ids.add("a", ExistingIds::version_of("t1"));
  ids.add("b", ExistingIds::version_of("t2"));
  ids.add("c", ExistingIds::version_of("t3"));
  ids.seal();
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids.check_and_mark("a", ExistingIds::version_of("t1")), Presence::kUnchanged);
  EXPECT_EQ(ids.check_and_mark("b", ExistingIds::version_of("t2-new")), Presence::kChanged);
  EXPECT_EQ(ids.check_and_mark("z", ExistingIds::version_of("t9")), Presence::kNew);
  EXPECT_EQ(ids.seen(), 2u);
  EXPECT_EQ(ids.unseen(), 1u);
  EXPECT_FALSE(ids.is_unseen("a"));
  EXPECT_FALSE(ids.is_unseen("b"));
  EXPECT_TRUE(ids.is_unseen("c"));
  EXPECT_FALSE(ids.is_unseen("z"));  // never in the index: never deleted
  // Marking twice counts once.
  ids.check_and_mark("a", ExistingIds::version_of("t1"));
  EXPECT_EQ(ids.seen(), 2u);
}

TEST(ExistingIds, SixteenBytesPerId) {
  ExistingIds ids;
  const size_t n = 100000;
  ids.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    ids.add("a-rather-long-document-identifier-" + std::to_string(i), i);
  }
  ids.seal();
  EXPECT_EQ(ids.size(), n);
  EXPECT_LE(ids.memory_bytes(), n * 16);
  for (size_t i = 0; i < n; i += 997) {
    EXPECT_EQ(ids.check_and_mark("a-rather-long-document-identifier-" + std::to_string(i), i),
              Presence::kUnchanged);
  }
}

TEST(ExistingIds, EmptySet) {
  ExistingIds ids;
  ids.seal();
  EXPECT_EQ(ids.check_and_mark("x", 1), Presence::kNew);
  EXPECT_EQ(ids.unseen(), 0u);
}

}  // namespace
}  // namespace connectors::sync
