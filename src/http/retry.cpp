#include "http/retry.h"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <random>
#include <string>

namespace connectors::http {

bool is_retryable_status(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool honours_retry_after(int status) { return status == 429 || status == 503; }

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  long long seconds = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  // IMF-fixdate, the one form RFC 9110 lets servers send.
  std::tm tm{};
  std::string text(value);
  const char* parsed = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (parsed == nullptr || *parsed != '\0') return std::nullopt;
  auto at = std::chrono::system_clock::from_time_t(::timegm(&tm));
  if (at <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
}

Backoff::Backoff(RetryPolicy policy) : policy_(policy) {
  policy_.cap = std::max(policy_.cap, policy_.base);
}

std::chrono::milliseconds Backoff::delay(int retry,
                                         std::optional<std::chrono::milliseconds> retry_after) {
  double exponential = static_cast<double>(policy_.base.count()) *
                       static_cast<double>(1ULL << std::clamp(retry - 1, 0, 30));
  double wait = std::min(exponential, static_cast<double>(policy_.cap.count()));
  if (policy_.jitter) {
    // Seeded once per thread, when first needed: a Backoff is made per request,
    // and most requests are never retried.
    thread_local std::mt19937_64 random(std::random_device{}());
    wait *= std::uniform_real_distribution<double>(0.5, 1.0)(random);
  }
  auto out = std::chrono::milliseconds(static_cast<long long>(wait));
  if (retry_after) out = std::max(out, *retry_after);
  return std::min(out, policy_.cap);
}

bool sleep_for(std::chrono::milliseconds duration, std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  cv.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace connectors::http
