// When and how long to wait before sending a request again: the sources' retry
// policy (the seeds' `retry_count`, exponential backoff, Retry-After) and the
// pieces es::RetryPolicy shares. Backoff holds an RNG for the jitter: one per
// request loop (or guarded by the caller); the free functions are thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <stop_token>
#include <string_view>

namespace connectors::http {

struct RetryPolicy {
  // Retries after the first attempt: the seeds' `retry_count` (3 → 4 attempts,
  // as Confluence, Jira and GCS count it).
  int retry_count = 3;
  // Wait before retry n: base * 2^(n-1) — 2, 4, 8 s with the default, the
  // seeds' `2 ** retry`.
  std::chrono::milliseconds base{2000};
  // No wait is longer, whether from the backoff or a server's Retry-After.
  std::chrono::milliseconds cap{60000};
  // Scale each backoff wait by a random factor in [0.5, 1] (spreads the retries
  // of many clients; the seeds do not).
  bool jitter = false;
};

// 429, 500, 502, 503 and 504: the statuses a source request is retried on.
bool is_retryable_status(int status);

// Whether a server's Retry-After is honoured for this status (429 and 503, as RFC 9110 uses it).
bool honours_retry_after(int status);

// The wait a Retry-After header value asks for: delta-seconds ("120") or an
// HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT", relative to `now`; a past date is
// zero). nullopt when empty or unreadable.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

class Backoff {
 public:
  explicit Backoff(RetryPolicy policy);
  const RetryPolicy& policy() const { return policy_; }

  // The wait before retry number `retry` (1-based): base * 2^(retry-1), capped,
  // jittered if asked; a server's `retry_after` wins when longer; never above the cap.
  std::chrono::milliseconds delay(int retry, std::optional<std::chrono::milliseconds> retry_after);

 private:
  RetryPolicy policy_;
};

// Sleeps for `duration` unless `stop` is requested first. Returns false if stopped.
bool sleep_for(std::chrono::milliseconds duration, std::stop_token stop);

}  // namespace connectors::http
