#include "http/retry.h"

#include <gtest/gtest.h>

namespace connectors::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(HttpRetry, RetryableStatusesOfTheSources) {
  for (int status : {429, 500, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(status)) << status;
  for (int status : {200, 400, 401, 403, 404, 409, 413, 501})
    EXPECT_FALSE(is_retryable_status(status));
  EXPECT_TRUE(honours_retry_after(429));
  EXPECT_TRUE(honours_retry_after(503));
  EXPECT_FALSE(honours_retry_after(500));
}

TEST(HttpRetry, BackoffIsTheSeedsTwoFourEightCapped) {
  Backoff backoff({3, seconds(2), seconds(5), false});
  EXPECT_EQ(backoff.delay(1, std::nullopt), seconds(2));
  EXPECT_EQ(backoff.delay(2, std::nullopt), seconds(4));
  EXPECT_EQ(backoff.delay(3, std::nullopt), seconds(5));
  EXPECT_EQ(backoff.delay(40, std::nullopt), seconds(5));
}

TEST(HttpRetry, RetryAfterWinsWhenLongerAndIsCapped) {
  Backoff backoff({3, milliseconds(100), seconds(10), false});
  EXPECT_EQ(backoff.delay(1, seconds(3)), seconds(3));
  EXPECT_EQ(backoff.delay(1, milliseconds(10)), milliseconds(100));
  EXPECT_EQ(backoff.delay(1, seconds(3600)), seconds(10));
}

TEST(HttpRetry, JitterStaysWithinHalfAndFull) {
  Backoff backoff({3, milliseconds(100), seconds(10), true});
  for (int i = 0; i < 50; ++i) {
    auto wait = backoff.delay(2, std::nullopt);
    EXPECT_GE(wait, milliseconds(100));
    EXPECT_LE(wait, milliseconds(200));
  }
}

TEST(HttpRetry, ParsesRetryAfterSecondsAndHttpDates) {
  EXPECT_EQ(parse_retry_after("120"), seconds(120));
  EXPECT_EQ(parse_retry_after(" 0 "), seconds(0));
  auto now = std::chrono::system_clock::from_time_t(1445412470);  // Wed, 21 Oct 2015 07:27:50 GMT
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), seconds(10));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), seconds(0));
  EXPECT_EQ(parse_retry_after(""), std::nullopt);
  EXPECT_EQ(parse_retry_after("-5"), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon"), std::nullopt);
  EXPECT_EQ(parse_retry_after("12abc"), std::nullopt);
}

}  // namespace
}  // namespace connectors::http
