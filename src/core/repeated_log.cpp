#include "core/repeated_log.h"

#include "core/iso_time.h"

namespace connectors {
namespace {

std::string times(long long count) {
  return std::to_string(count) + (count == 1 ? " time" : " times");
}

}  // namespace

RepeatedLog::RepeatedLog(std::chrono::seconds reminder, Clock clock)
    : reminder_(reminder), clock_(std::move(clock)) {}

std::optional<std::string> RepeatedLog::failed(const std::string& key, const std::string& message) {
  auto now = clock_();
  auto [it, first] = streaks_.try_emplace(key, Streak{message, now, now, 0});
  Streak& streak = it->second;
  ++streak.count;
  if (first) return message;
  if (message != streak.message) {
    streak.message = message;
    streak.last_logged = now;
    return message;
  }
  if (now - streak.last_logged < reminder_) return std::nullopt;
  streak.last_logged = now;
  return message + " (still failing since " + iso_utc(streak.since) + ", " + times(streak.count) +
         ")";
}

std::optional<std::string> RepeatedLog::succeeded(const std::string& key) {
  auto it = streaks_.find(key);
  if (it == streaks_.end()) return std::nullopt;
  std::string text =
      "recovered after failing " + times(it->second.count) + " since " + iso_utc(it->second.since);
  streaks_.erase(it);
  return text;
}

}  // namespace connectors
