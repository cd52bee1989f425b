#include "sources/atlassian/rate_limiter.h"

#include <algorithm>

#include "core/errors.h"
#include "http/retry.h"

namespace connectors::sources::atlassian {

RateLimiter::RateLimiter(double rate, double burst) {
  if (rate <= 0) return;
  interval_ =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));
  double tokens = burst > 0 ? burst : std::max(1.0, rate);
  burst_span_ = std::chrono::duration_cast<Clock::duration>(interval_ * (tokens - 1));
}

// The generic cell rate algorithm: next_free_ is when the bucket would be
// full again; a request may go burst_span_ before it, and moves it by one interval.
RateLimiter::Clock::duration RateLimiter::reserve(Clock::time_point now) {
  if (interval_ == Clock::duration::zero()) return Clock::duration::zero();
  std::lock_guard lock(mutex_);
  Clock::time_point theoretical = std::max(next_free_, now);
  Clock::time_point at = std::max(now, theoretical - burst_span_);
  next_free_ = theoretical + interval_;
  return at - now;
}

void RateLimiter::acquire(std::stop_token stop) {
  auto wait = reserve(Clock::now());
  if (wait <= Clock::duration::zero()) return;
  if (!http::sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(wait) +
                           std::chrono::milliseconds(1),
                       stop)) {
    throw Cancelled();
  }
}

}  // namespace connectors::sources::atlassian
