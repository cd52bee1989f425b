#include "es/retry.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace connectors::es {

bool is_retryable_status(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

RetryPolicy::RetryPolicy(int max_retries, std::chrono::milliseconds base,
                         std::chrono::milliseconds cap)
    : max_retries_(max_retries), base_(base), cap_(std::max(cap, base)), rng_(std::random_device{}()) {}

std::chrono::milliseconds RetryPolicy::delay(int retry,
                                             std::optional<std::chrono::seconds> retry_after) {
  double exponential = static_cast<double>(base_.count()) * static_cast<double>(1ULL << std::min(retry - 1, 30));
  double capped = std::min(exponential, static_cast<double>(cap_.count()));
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  auto wait = std::chrono::milliseconds(static_cast<long long>(capped * jitter(rng_)));
  if (retry_after) {
    wait = std::max(wait, std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after));
  }
  return std::min(wait, cap_);
}

bool sleep_for(std::chrono::milliseconds duration, std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  cv.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace connectors::es
