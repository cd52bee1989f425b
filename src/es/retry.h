// The retry policy for requests to Elasticsearch: which failures are transient
// and how long to wait before the next attempt — the sources' http::Backoff
// (exponential, capped, Retry-After), always with jitter. One policy per thread
// or guarded by the caller.
#pragma once

#include <chrono>
#include <optional>
#include <stop_token>

#include "http/retry.h"

namespace connectors::es {

// 429 (too many requests), 502, 503 and 504 are worth retrying; other 4xx/5xx are not.
bool is_retryable_status(int status);

class RetryPolicy : public http::Backoff {
 public:
  // Wait before retry n: base * 2^(n-1), capped, scaled by a random factor in
  // [0.5, 1]; a server's Retry-After wins when larger (still capped).
  RetryPolicy(int max_retries, std::chrono::milliseconds base, std::chrono::milliseconds cap)
      : http::Backoff({max_retries, base, cap, /*jitter=*/true}) {}

  int max_retries() const { return policy().retry_count; }
};

using http::sleep_for;

}  // namespace connectors::es
