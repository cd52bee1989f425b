// A token bucket over the requests of one connection: at most `rate` requests
// a second on average, `burst` at once after a quiet spell. Atlassian Cloud
// rate-limits per user and site; staying under a known rate avoids the 429s
// that otherwise cost a Retry-After wait each. Thread-safe: the listing thread
// and the download workers share one.
#pragma once

#include <chrono>
#include <mutex>
#include <stop_token>

namespace connectors::sources::atlassian {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // rate <= 0: no limit.
  explicit RateLimiter(double rate, double burst = 0);

  // Waits for a token. Throws Cancelled on `stop`.
  void acquire(std::stop_token stop);

  // The wait the next acquire at `now` would take, and takes the token (for tests).
  Clock::duration reserve(Clock::time_point now);

 private:
  std::mutex mutex_;
  Clock::duration interval_{0};
  Clock::duration burst_span_{0};  // interval * (burst - 1)
  Clock::time_point next_free_{};  // when the bucket is full again
};

}  // namespace connectors::sources::atlassian
