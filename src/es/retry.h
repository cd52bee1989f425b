// The retry policy for requests to Elasticsearch: which failures are transient
// and how long to wait before the next attempt (exponential backoff with
// jitter, honouring Retry-After). Stateless apart from the RNG; one policy per
// thread or guarded by the caller.
#pragma once

#include <chrono>
#include <optional>
#include <random>
#include <stop_token>

namespace connectors::es {

// 429 (too many requests), 502, 503 and 504 are worth retrying; other 4xx/5xx are not.
bool is_retryable_status(int status);

class RetryPolicy {
 public:
  RetryPolicy(int max_retries, std::chrono::milliseconds base, std::chrono::milliseconds cap);

  int max_retries() const { return max_retries_; }

  // Wait before retry number `retry` (1-based): base * 2^(retry-1), capped, then
  // scaled by a random factor in [0.5, 1]; a server's Retry-After wins when larger
  // (still capped).
  std::chrono::milliseconds delay(int retry, std::optional<std::chrono::seconds> retry_after);

 private:
  int max_retries_;
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  std::mt19937_64 rng_;
};

// Sleeps for `duration` unless `stop` is requested first. Returns false if stopped.
bool sleep_for(std::chrono::milliseconds duration, std::stop_token stop);

}  // namespace connectors::es
