#include "core/repeated_log.h"

#include <gtest/gtest.h>

namespace connectors {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// A RepeatedLog on a hand-driven clock starting at 2025-01-01T00:00:00Z.
class RepeatedLogTest : public ::testing::Test {
 protected:
  std::chrono::system_clock::time_point now_ =
      std::chrono::system_clock::time_point(seconds(1735689600));
  RepeatedLog log_{minutes(5), [this] { return now_; }};
};

TEST_F(RepeatedLogTest, FirstFailureIsLoggedThenRepeatsAreQuiet) {
  EXPECT_EQ(log_.failed("c1", "connection refused"), "connection refused");
  for (int pass = 0; pass < 20; ++pass) {
    now_ += seconds(2);
    EXPECT_EQ(log_.failed("c1", "connection refused"), std::nullopt) << "pass " << pass;
  }
}

TEST_F(RepeatedLogTest, ChangedMessageIsLoggedAtOnce) {
  log_.failed("c1", "connection refused");
  now_ += seconds(1);
  EXPECT_EQ(log_.failed("c1", "authentication failed"), "authentication failed");
  now_ += seconds(1);
  EXPECT_EQ(log_.failed("c1", "authentication failed"), std::nullopt);
}

TEST_F(RepeatedLogTest, SameFailureIsRemindedOncePerInterval) {
  log_.failed("c1", "refused");
  now_ += minutes(4);
  EXPECT_EQ(log_.failed("c1", "refused"), std::nullopt);
  now_ += minutes(1);
  EXPECT_EQ(log_.failed("c1", "refused"),
            "refused (still failing since 2025-01-01T00:00:00+00:00, 3 times)");
  now_ += minutes(1);
  EXPECT_EQ(log_.failed("c1", "refused"), std::nullopt);
  now_ += minutes(4);
  EXPECT_EQ(log_.failed("c1", "refused"),
            "refused (still failing since 2025-01-01T00:00:00+00:00, 5 times)");
}

TEST_F(RepeatedLogTest, RecoveryIsLoggedOnceAndStartsAFreshStreak) {
  EXPECT_EQ(log_.succeeded("c1"), std::nullopt);  // never failed: nothing to say
  log_.failed("c1", "refused");
  now_ += seconds(30);
  log_.failed("c1", "refused");
  EXPECT_EQ(log_.succeeded("c1"),
            "recovered after failing 2 times since 2025-01-01T00:00:00+00:00");
  EXPECT_EQ(log_.succeeded("c1"), std::nullopt);
  EXPECT_EQ(log_.failed("c1", "refused"), "refused");
}

TEST_F(RepeatedLogTest, KeysAreIndependent) {
  EXPECT_EQ(log_.failed("c1", "refused"), "refused");
  EXPECT_EQ(log_.failed("c2", "refused"), "refused");
  EXPECT_EQ(log_.failed("c1", "refused"), std::nullopt);
  EXPECT_EQ(log_.succeeded("c2"), "recovered after failing 1 time since 2025-01-01T00:00:00+00:00");
  EXPECT_EQ(log_.failed("c1", "refused"), std::nullopt);
}

}  // namespace
}  // namespace connectors
