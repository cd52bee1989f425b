// A Quartz cron schedule ("sec min hour day-of-month month day-of-week [year]"), the format
// Kibana writes into connector documents (scheduling.*.interval), evaluated in UTC the way the
// Python framework's utils.next_run does. Immutable once parsed: safe to share between threads.
//
// Deliberate differences from Quartz, matching the Python framework:
// - Minute resolution: the seconds field is validated but ignored; a schedule fires at second 0
//   of every matching minute (so "1 * * * * ?" and "0/5 * * * * ?" fire once a minute).
// - '?' is a synonym of '*' in every field, and a missing year is '*'.
// - When both day-of-month and day-of-week are restricted (Quartz rejects that), a day matches if
//   either matches, the classic cron rule the Python framework inherits from croniter. A field
//   whose values cover its whole range ("1-31", "SUN-SAT") counts as unrestricted, as in croniter.
// Unlike the Python framework, day-of-week numbers (1=SUN..7=SAT) are converted correctly in
// ranges, lists and steps too, not only as plain numbers.
// Supported in each field: *, ?, n, a-b (wrapping when a > b, e.g. FRI-MON), lists, */n, a-b/n,
// a/n, JAN-DEC, SUN-SAT; in day-of-month also L (last day) and L-n (n days before it).
// W, # and L in day-of-week are rejected with a ConfigError.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace connectors {

class CronSchedule {
 public:
  // Throws ConfigError with key "interval"; what() names the bad field and its value.
  static CronSchedule parse(std::string_view expression);

  // The first fire time strictly after `after` (UTC), or nullopt if there is none within about
  // five years (e.g. a year list that lies in the past, or February 30).
  std::optional<std::chrono::system_clock::time_point> next_after(
      std::chrono::system_clock::time_point after) const;

  const std::string& expression() const { return expression_; }

  // Quartz's year range; a restricted year field must stay within it.
  static constexpr int kMinYear = 1970;
  static constexpr int kMaxYear = 2099;

 private:
  CronSchedule() = default;

  bool day_matches(std::chrono::year_month_day date) const;
  bool year_matches(int year) const;

  std::string expression_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // bit d = day d; bit 0 unused
  std::bitset<31> before_last_;    // bit n = "L-n" (bit 0 = "L")
  std::bitset<13> months_;         // bit m = month m; bit 0 unused
  std::bitset<7> days_of_week_;    // bit 0 = Sunday, as std::chrono::weekday::c_encoding()
  std::bitset<kMaxYear - kMinYear + 1> years_;
  bool any_year_ = true;
  bool day_of_month_restricted_ = false;
  bool day_of_week_restricted_ = false;
};

}  // namespace connectors
