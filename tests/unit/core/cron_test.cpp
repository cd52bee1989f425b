#include "core/cron.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/iso_time.h"

namespace connectors {
namespace {

using std::chrono::system_clock;

system_clock::time_point at(std::string_view iso) {
  auto millis = parse_iso_millis(iso);
  EXPECT_TRUE(millis.has_value()) << iso;
  return system_clock::time_point{std::chrono::milliseconds{millis.value_or(0)}};
}

std::string show(const std::optional<system_clock::time_point>& time) {
  return time ? iso_utc(*time) : "none";
}

std::string next(std::string_view expression, std::string_view from) {
  return show(CronSchedule::parse(expression).next_after(at(from)));
}

// The next `count` fire times after `from`, each strictly after the previous one.
std::vector<std::string> fires(std::string_view expression, std::string_view from, int count) {
  auto schedule = CronSchedule::parse(expression);
  std::vector<std::string> out;
  auto time = at(from);
  for (int i = 0; i < count; ++i) {
    auto fire = schedule.next_after(time);
    if (!fire) break;
    EXPECT_GT(*fire, time);
    out.push_back(iso_utc(*fire));
    time = *fire;
  }
  return out;
}

// 0=Sunday, the weekday of a fire time.
unsigned weekday_of(std::string_view iso) {
  auto day = std::chrono::floor<std::chrono::days>(at(iso));
  return std::chrono::weekday{day}.c_encoding();
}

std::string error_of(std::string_view expression) {
  try {
    CronSchedule::parse(expression);
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "interval");
    return e.what();
  }
  ADD_FAILURE() << "no error for '" << expression << "'";
  return "";
}

// 2024-05-01 is a Wednesday; 2024 is a leap year.

TEST(CronSchedule, KibanaHourlyPreset) {
  EXPECT_EQ(next("0 3 * * * ?", "2024-05-01T10:02:59Z"), "2024-05-01T10:03:00+00:00");
  EXPECT_EQ(next("0 3 * * * ?", "2024-05-01T10:03:30Z"), "2024-05-01T11:03:00+00:00");
  EXPECT_EQ(next("0 3 * * * ?", "2024-05-01T23:10:00Z"), "2024-05-02T00:03:00+00:00");
}

TEST(CronSchedule, KibanaDailyPreset) {
  EXPECT_EQ(next("0 3 5 * * ?", "2024-05-01T04:00:00Z"), "2024-05-01T05:03:00+00:00");
  EXPECT_EQ(next("0 3 5 * * ?", "2024-05-01T05:04:00Z"), "2024-05-02T05:03:00+00:00");
}

TEST(CronSchedule, KibanaWeeklyPresetUsesQuartzDayNumbers) {
  // Quartz 4 is Wednesday; in Unix cron numbering it would be Thursday 2024-05-02.
  EXPECT_EQ(next("0 3 5 ? * 4", "2024-04-30T00:00:00Z"), "2024-05-01T05:03:00+00:00");
  EXPECT_EQ(next("0 3 5 ? * 4", "2024-05-01T05:03:00Z"), "2024-05-08T05:03:00+00:00");
  EXPECT_EQ(next("0 3 5 ? * 4", "2024-05-02T00:00:00Z"), "2024-05-08T05:03:00+00:00");
}

TEST(CronSchedule, KibanaMonthlyPresetRollsOverTheYear) {
  EXPECT_EQ(next("0 3 5 5 * ?", "2024-05-05T05:03:00Z"), "2024-06-05T05:03:00+00:00");
  EXPECT_EQ(next("0 3 5 5 * ?", "2024-12-06T00:00:00Z"), "2025-01-05T05:03:00+00:00");
}

TEST(CronSchedule, KibanaYearlyPreset) {
  EXPECT_EQ(next("0 3 5 5 1 ?", "2024-01-05T05:03:00Z"), "2025-01-05T05:03:00+00:00");
  EXPECT_EQ(next("0 3 5 5 1 ?", "2024-03-01T00:00:00Z"), "2025-01-05T05:03:00+00:00");
  EXPECT_EQ(next("0 3 5 5 1 ?", "2024-01-05T05:02:00Z"), "2024-01-05T05:03:00+00:00");
}

TEST(CronSchedule, CliDefaultMidnight) {
  EXPECT_EQ(fires("0 0 0 * * ?", "2024-02-28T12:00:00Z", 3),
            (std::vector<std::string>{"2024-02-29T00:00:00+00:00", "2024-03-01T00:00:00+00:00",
                                      "2024-03-02T00:00:00+00:00"}));
  EXPECT_EQ(next("0 0 0 * * ?", "2024-12-31T00:00:00Z"), "2025-01-01T00:00:00+00:00");
}

TEST(CronSchedule, SecondsFieldIsIgnored) {
  EXPECT_EQ(fires("1 * * * * ?", "2024-05-01T10:20:30.500Z", 3),
            (std::vector<std::string>{"2024-05-01T10:21:00+00:00", "2024-05-01T10:22:00+00:00",
                                      "2024-05-01T10:23:00+00:00"}));
  EXPECT_EQ(next("0/5 * * * * ?", "2024-05-01T10:21:00Z"), "2024-05-01T10:22:00+00:00");
}

TEST(CronSchedule, StrictlyAfterAtNanosecondPrecision) {
  auto schedule = CronSchedule::parse("0 3 * * * ?");
  auto fire = at("2024-05-01T10:03:00Z");
  EXPECT_EQ(show(schedule.next_after(fire)), "2024-05-01T11:03:00+00:00");
  EXPECT_EQ(show(schedule.next_after(fire - std::chrono::nanoseconds{1})),
            "2024-05-01T10:03:00+00:00");
  EXPECT_EQ(show(schedule.next_after(fire + std::chrono::nanoseconds{1})),
            "2024-05-01T11:03:00+00:00");
}

TEST(CronSchedule, EveryFifteenMinutes) {
  EXPECT_EQ(fires("0 */15 * * * ?", "2024-05-01T10:14:00Z", 4),
            (std::vector<std::string>{"2024-05-01T10:15:00+00:00", "2024-05-01T10:30:00+00:00",
                                      "2024-05-01T10:45:00+00:00", "2024-05-01T11:00:00+00:00"}));
}

TEST(CronSchedule, WeekdaysByNameAndByQuartzNumber) {
  auto by_name = fires("0 0 12 ? * MON-FRI", "2024-05-01T00:00:00Z", 15);
  ASSERT_EQ(by_name.size(), 15u);
  EXPECT_EQ(by_name.front(), "2024-05-01T12:00:00+00:00");
  EXPECT_EQ(by_name[2], "2024-05-03T12:00:00+00:00");  // Friday
  EXPECT_EQ(by_name[3], "2024-05-06T12:00:00+00:00");  // then Monday
  for (const auto& fire : by_name) {
    unsigned weekday = weekday_of(fire);
    EXPECT_TRUE(weekday >= 1 && weekday <= 5) << fire;
  }
  EXPECT_EQ(fires("0 0 12 ? * 2-6", "2024-05-01T00:00:00Z", 15), by_name);
  EXPECT_EQ(fires("0 0 12 ? * mon-Fri", "2024-05-01T00:00:00Z", 15), by_name);
  EXPECT_EQ(fires("0 0 12 ? * 2,3,4,5,6", "2024-05-01T00:00:00Z", 15), by_name);
}

TEST(CronSchedule, QuartzDayNumbersInListsStepsAndWrappingRanges) {
  auto weekdays = [](std::string_view expression) {
    std::vector<unsigned> out;
    for (const auto& fire : fires(expression, "2024-05-04T23:00:00Z", 7)) {  // from a Saturday
      out.push_back(weekday_of(fire));
    }
    return out;
  };
  EXPECT_EQ(weekdays("0 0 0 ? * 1"), (std::vector<unsigned>{0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(weekdays("0 0 0 ? * 1,7"), (std::vector<unsigned>{0, 6, 0, 6, 0, 6, 0}));
  EXPECT_EQ(weekdays("0 0 0 ? * SUN,SAT"), weekdays("0 0 0 ? * 1,7"));
  EXPECT_EQ(weekdays("0 0 0 ? * */2"), (std::vector<unsigned>{0, 2, 4, 6, 0, 2, 4}));
  EXPECT_EQ(weekdays("0 0 0 ? * 6-2"), (std::vector<unsigned>{0, 1, 5, 6, 0, 1, 5}));
  EXPECT_EQ(weekdays("0 0 0 ? * FRI-MON"), weekdays("0 0 0 ? * 6-2"));
  EXPECT_EQ(weekdays("0 0 0 ? * 3/2"), (std::vector<unsigned>{2, 4, 6, 2, 4, 6, 2}));
}

TEST(CronSchedule, LastDayOfMonth) {
  EXPECT_EQ(fires("0 0 0 L * ?", "2024-01-31T00:00:00Z", 3),
            (std::vector<std::string>{"2024-02-29T00:00:00+00:00", "2024-03-31T00:00:00+00:00",
                                      "2024-04-30T00:00:00+00:00"}));
  EXPECT_EQ(next("0 0 0 L * ?", "2023-02-01T00:00:00Z"), "2023-02-28T00:00:00+00:00");
  EXPECT_EQ(next("0 0 0 L-1 * ?", "2023-02-01T00:00:00Z"), "2023-02-27T00:00:00+00:00");
  EXPECT_EQ(next("0 0 0 1,L * ?", "2024-04-02T00:00:00Z"), "2024-04-30T00:00:00+00:00");
}

TEST(CronSchedule, LeapDay) {
  EXPECT_EQ(next("0 0 0 29 2 ?", "2023-01-01T00:00:00Z"), "2024-02-29T00:00:00+00:00");
  EXPECT_EQ(next("0 0 0 29 2 ?", "2024-02-29T00:00:00Z"), "2028-02-29T00:00:00+00:00");
  EXPECT_EQ(next("0 0 0 29 FEB ?", "2024-03-01T00:00:00Z"), "2028-02-29T00:00:00+00:00");
}

TEST(CronSchedule, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  // Friday the 13th in Quartz is not expressible; classic cron reads it as "13th or Friday".
  EXPECT_EQ(fires("0 0 0 13 * FRI", "2024-05-01T00:00:00Z", 4),
            (std::vector<std::string>{"2024-05-03T00:00:00+00:00", "2024-05-10T00:00:00+00:00",
                                      "2024-05-13T00:00:00+00:00", "2024-05-17T00:00:00+00:00"}));
  // A field covering its whole range is unrestricted, so only the other one decides.
  EXPECT_EQ(fires("0 0 0 1-31 * MON", "2024-05-01T00:00:00Z", 2),
            (std::vector<std::string>{"2024-05-06T00:00:00+00:00", "2024-05-13T00:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 0 13 * SUN-SAT", "2024-05-01T00:00:00Z", 2),
            (std::vector<std::string>{"2024-05-13T00:00:00+00:00", "2024-06-13T00:00:00+00:00"}));
}

TEST(CronSchedule, RangesStepsListsAndNames) {
  EXPECT_EQ(fires("0 10-40/10 8 * * ?", "2024-05-01T00:00:00Z", 5),
            (std::vector<std::string>{"2024-05-01T08:10:00+00:00", "2024-05-01T08:20:00+00:00",
                                      "2024-05-01T08:30:00+00:00", "2024-05-01T08:40:00+00:00",
                                      "2024-05-02T08:10:00+00:00"}));
  EXPECT_EQ(fires("0 5/20 8 * * ?", "2024-05-01T00:00:00Z", 4),
            (std::vector<std::string>{"2024-05-01T08:05:00+00:00", "2024-05-01T08:25:00+00:00",
                                      "2024-05-01T08:45:00+00:00", "2024-05-02T08:05:00+00:00"}));
  EXPECT_EQ(fires("0 0 22-1 * * ?", "2024-05-01T12:00:00Z", 5),
            (std::vector<std::string>{"2024-05-01T22:00:00+00:00", "2024-05-01T23:00:00+00:00",
                                      "2024-05-02T00:00:00+00:00", "2024-05-02T01:00:00+00:00",
                                      "2024-05-02T22:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 0 1 jan,Jul ?", "2024-05-01T00:00:00Z", 3),
            (std::vector<std::string>{"2024-07-01T00:00:00+00:00", "2025-01-01T00:00:00+00:00",
                                      "2025-07-01T00:00:00+00:00"}));
  EXPECT_EQ(next("0 0 0 1 NOV-FEB ?", "2024-03-01T00:00:00Z"), "2024-11-01T00:00:00+00:00");
}

TEST(CronSchedule, YearField) {
  EXPECT_EQ(next("0 0 0 1 1 ? 2026", "2024-05-01T00:00:00Z"), "2026-01-01T00:00:00+00:00");
  EXPECT_EQ(next("0 0 0 1 1 ? 2026", "2026-01-01T00:00:00Z"), "none");
  EXPECT_EQ(next("0 0 0 * * ? 2025,2027", "2025-12-31T00:00:00Z"), "2027-01-01T00:00:00+00:00");
}

TEST(CronSchedule, NoneWithinTheHorizon) {
  EXPECT_EQ(next("0 0 0 30 2 ?", "2024-05-01T00:00:00Z"), "none");
  EXPECT_EQ(next("0 0 0 31 4,6,9,11 ?", "2024-05-01T00:00:00Z"), "none");
  EXPECT_EQ(next("0 0 0 * * ? 2002-2010", "2024-05-01T00:00:00Z"), "none");
  EXPECT_EQ(next("0 0 0 1 1 ? 2099", "2024-05-01T00:00:00Z"), "none");
}

TEST(CronSchedule, StepsByFieldNotByMinute) {
  // Minute-by-minute stepping would take ~2.6 million iterations per call here.
  auto never = CronSchedule::parse("0 0 0 30 2 ?");
  auto yearly = CronSchedule::parse("0 3 5 5 1 ?");
  auto from = at("2024-01-05T05:04:00Z");
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    EXPECT_FALSE(never.next_after(from).has_value());
    EXPECT_TRUE(yearly.next_after(from).has_value());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{2});
}

TEST(CronSchedule, BeforeTheEpoch) {
  EXPECT_EQ(next("0 0 * * * ?", "1969-12-31T23:59:30Z"), "1970-01-01T00:00:00+00:00");
}

TEST(CronSchedule, KeepsTheExpression) {
  EXPECT_EQ(CronSchedule::parse("0 3 5 ? * 4").expression(), "0 3 5 ? * 4");
  EXPECT_EQ(next("  0\t3 5 ? *  4 ", "2024-04-30T00:00:00Z"), "2024-05-01T05:03:00+00:00");
}

TEST(CronSchedule, ErrorsNameTheBadField) {
  std::string error = error_of("0 61 * * * ?");
  EXPECT_NE(error.find("minute field '61'"), std::string::npos) << error;
  EXPECT_NE(error.find("0-59"), std::string::npos) << error;
  EXPECT_EQ(error.rfind("interval: ", 0), 0u) << error;

  error = error_of("0 0 0 * 13 ?");
  EXPECT_NE(error.find("month field '13'"), std::string::npos) << error;

  error = error_of("foo");
  EXPECT_NE(error.find("'foo' has 1 field"), std::string::npos) << error;
  error = error_of("0 0 * * *");
  EXPECT_NE(error.find("has 5 field"), std::string::npos) << error;
  error = error_of("0 0 0 * * ? 2024 x");
  EXPECT_NE(error.find("has 8 field"), std::string::npos) << error;
  error = error_of("");
  EXPECT_NE(error.find("has 0 field"), std::string::npos) << error;

  struct Case {
    const char* expression;
    const char* expected;
  };
  for (const Case& c : {
           Case{"61 * * * * ?", "second field '61'"},
           Case{"0 0 24 * * ?", "hour field '24'"},
           Case{"0 0 0 0 * ?", "day-of-month field '0'"},
           Case{"0 0 0 32 * ?", "day-of-month field '32'"},
           Case{"0 0 0 ? * 0", "day-of-week field '0'"},
           Case{"0 0 0 ? * 8", "day-of-week field '8'"},
           Case{"0 0 0 ? * MON-FUN", "'FUN' is neither a number nor a name (SUN-SAT)"},
           Case{"0 0 0 * FOO ?", "'FOO' is neither a number nor a name (JAN-DEC)"},
           Case{"0 */0 * * * ?", "step '0' is not a positive number"},
           Case{"0 5/x * * * ?", "step 'x'"},
           Case{"0 1,,2 * * * ?", "empty list element"},
           Case{"0 5- * * * ?", "missing value"},
           Case{"0 0 0 15W * ?", "'W' (nearest weekday) is not supported"},
           Case{"0 0 0 LW * ?", "'W' (nearest weekday) is not supported"},
           Case{"0 0 0 L-31 * ?", "L or L-n"},
           Case{"0 0 0 ? * 6L", "day-of-week field '6L'"},
           Case{"0 0 0 ? * L", "'L' (last weekday"},
           Case{"0 0 0 ? * 6#3", "'#' (nth weekday of the month) is not supported"},
           Case{"0 0 0 * * ? 2010-2005", "range 2010-2005 goes backwards"},
           Case{"0 0 0 * * ? 1969", "year field '1969'"},
           Case{"0 99999999999 * * * ?", "minute field '99999999999'"},
       }) {
    error = error_of(c.expression);
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.expression << " -> " << error;
    EXPECT_NE(error.find(c.expression), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace connectors
