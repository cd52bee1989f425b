// RepeatedLog keeps a failure that recurs on every pass of a loop (a connector
// whose check fails, a service loop that cannot reach Elasticsearch) from filling
// the log. Per key, it lets through the first failure, a failure whose message
// changed, a reminder at most once per `reminder` interval while the same
// failure repeats ("still failing since ..., N times"), and one line when the key
// succeeds again. The caller logs the text it returns, at the level it chooses.
// Not thread-safe: one RepeatedLog per loop thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace connectors {

class RepeatedLog {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  explicit RepeatedLog(std::chrono::seconds reminder = std::chrono::minutes(5),
                       Clock clock = &std::chrono::system_clock::now);

  // Records a failure of `key`. Returns the text to log, or nullopt when it
  // repeats the failure logged less than `reminder` ago.
  std::optional<std::string> failed(const std::string& key, const std::string& message);

  // Records a success of `key`. Returns "recovered after ..." when `key` was
  // failing, else nullopt.
  std::optional<std::string> succeeded(const std::string& key);

 private:
  struct Streak {
    std::string message;
    std::chrono::system_clock::time_point since;
    std::chrono::system_clock::time_point last_logged;
    long long count = 0;
  };

  std::chrono::seconds reminder_;
  Clock clock_;
  std::map<std::string, Streak> streaks_;
};

}  // namespace connectors
