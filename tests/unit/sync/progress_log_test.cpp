#include "sync/progress_log.h"

#include <gtest/gtest.h>

namespace connectors::sync {
namespace {

using std::chrono::milliseconds;

TEST(ProgressLog, ALineEachDisplayEveryDocumentsAtMostOnceASecond) {
  SyncCounters counters;
  ProgressLog log(100);
  auto t0 = std::chrono::steady_clock::now();
  counters.docs_extracted = 99;
  EXPECT_FALSE(log.maybe_log(counters, t0));
  counters.docs_extracted = 100;
  EXPECT_TRUE(log.maybe_log(counters, t0));
  counters.docs_extracted = 500;
  EXPECT_FALSE(log.maybe_log(counters, t0 + milliseconds(500)));  // within the second
  EXPECT_TRUE(log.maybe_log(counters, t0 + milliseconds(1000)));
  counters.docs_extracted = 599;
  EXPECT_FALSE(log.maybe_log(counters, t0 + milliseconds(5000)));  // not 100 more since
  counters.docs_extracted = 600;
  EXPECT_TRUE(log.maybe_log(counters, t0 + milliseconds(5000)));
}

TEST(ProgressLog, ZeroLogsNothing) {
  SyncCounters counters;
  counters.docs_extracted = 1000000;
  ProgressLog log(0);
  EXPECT_FALSE(log.maybe_log(counters, std::chrono::steady_clock::now()));
}

}  // namespace
}  // namespace connectors::sync
