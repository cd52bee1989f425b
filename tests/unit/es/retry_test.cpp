#include "es/retry.h"

#include <gtest/gtest.h>

#include <thread>

namespace connectors::es {
namespace {

using std::chrono::milliseconds;

TEST(Retry, RetryableStatuses) {
  for (int status : {429, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(status)) << status;
  for (int status : {200, 400, 401, 403, 404, 409, 413, 500, 501}) {
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

TEST(Retry, DelayGrowsExponentiallyWithJitterAndCap) {
  RetryPolicy policy(5, milliseconds(100), milliseconds(1000));
  for (int i = 0; i < 50; ++i) {
    auto d1 = policy.delay(1, std::nullopt);
    auto d3 = policy.delay(3, std::nullopt);
    auto d9 = policy.delay(9, std::nullopt);
    EXPECT_GE(d1.count(), 50);
    EXPECT_LE(d1.count(), 100);
    EXPECT_GE(d3.count(), 200);
    EXPECT_LE(d3.count(), 400);
    EXPECT_GE(d9.count(), 500);
    EXPECT_LE(d9.count(), 1000);
  }
}

TEST(Retry, RetryAfterWinsButIsCapped) {
  RetryPolicy policy(5, milliseconds(10), milliseconds(5000));
  EXPECT_GE(policy.delay(1, std::chrono::seconds(2)).count(), 2000);
  EXPECT_EQ(policy.delay(1, std::chrono::seconds(60)).count(), 5000);
}

TEST(Retry, SleepIsCancellable) {
  std::stop_source source;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(50));
    source.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(sleep_for(milliseconds(10000), source.get_token()));
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(5000));
  EXPECT_TRUE(sleep_for(milliseconds(1), std::stop_token{}));
}

}  // namespace
}  // namespace connectors::es
