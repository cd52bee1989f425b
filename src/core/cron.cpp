#include "core/cron.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <vector>

#include "core/errors.h"

namespace connectors {

namespace {

// How far next_after looks (calendar years after the start year) before it gives up: far
// enough for any yearly or leap-day schedule except across the non-leap year 2100, short
// enough that an impossible schedule (February 30) costs a few thousand steps at most.
constexpr int kHorizonYears = 5;

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names;  // names[i] is the value min + i
  int name_count;
  bool wraps;  // whether "a-b" with a > b wraps around (Quartz allows it, e.g. FRI-MON, 22-2)
};

constexpr FieldSpec kSecond{"second", 0, 59, nullptr, 0, true};
constexpr FieldSpec kMinute{"minute", 0, 59, nullptr, 0, true};
constexpr FieldSpec kHour{"hour", 0, 23, nullptr, 0, true};
constexpr FieldSpec kDayOfMonth{"day-of-month", 1, 31, nullptr, 0, true};
constexpr FieldSpec kMonth{"month", 1, 12, kMonthNames, 12, true};
// Quartz numbering: 1=SUN..7=SAT, so ranges and steps are computed in that numbering.
constexpr FieldSpec kDayOfWeek{"day-of-week", 1, 7, kDayNames, 7, true};
// A "wrapping" year range would mean an unbounded one.
constexpr FieldSpec kYear{"year", CronSchedule::kMinYear, CronSchedule::kMaxYear, nullptr, 0,
                          false};

struct FieldValues {
  std::vector<bool> values;  // index = value
  std::bitset<31> before_last;
};

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Parses one field; every error names the field, its text and the whole expression so that a
// connector document's error says exactly what to fix in Kibana.
class FieldParser {
 public:
  FieldParser(const FieldSpec& spec, std::string_view field, std::string_view expression)
      : spec_(spec), field_(field), expression_(expression) {}

  FieldValues parse() {
    FieldValues out;
    out.values.assign(static_cast<size_t>(spec_.max) + 1, false);
    size_t begin = 0;
    while (true) {
      size_t comma = field_.find(',', begin);
      std::string_view element = field_.substr(
          begin, comma == std::string_view::npos ? std::string_view::npos : comma - begin);
      parse_element(element, out);
      if (comma == std::string_view::npos) break;
      begin = comma + 1;
    }
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    throw ConfigError("interval", fmt::format("invalid {} field '{}' in cron expression '{}': {}",
                                              spec_.name, field_, expression_, reason));
  }

  void parse_element(std::string_view element, FieldValues& out) const {
    if (element.empty()) fail("empty list element");
    if (&spec_ == &kDayOfMonth && (element[0] == 'L' || element[0] == 'l')) {
      parse_last(element, out);
      return;
    }
    reject_unsupported(element);

    std::string_view base = element;
    int step = 1;
    bool has_step = false;
    if (size_t slash = element.find('/'); slash != std::string_view::npos) {
      base = element.substr(0, slash);
      std::string_view step_text = element.substr(slash + 1);
      step = all_digits(step_text) && step_text.size() <= 4 ? std::stoi(std::string(step_text)) : 0;
      if (step < 1) fail(fmt::format("step '{}' is not a positive number", step_text));
      has_step = true;
    }

    int low;
    int high;
    if (base == "*" || base == "?") {
      low = spec_.min;
      high = spec_.max;
    } else if (size_t dash = base.find('-'); dash != std::string_view::npos) {
      low = parse_value(base.substr(0, dash));
      high = parse_value(base.substr(dash + 1));
    } else {
      low = parse_value(base);
      // Quartz reads "a/n" as "from a to the end of the range, every n".
      high = has_step ? spec_.max : low;
    }

    if (low <= high) {
      for (int v = low; v <= high; v += step) out.values[static_cast<size_t>(v)] = true;
      return;
    }
    if (!spec_.wraps) fail(fmt::format("range {}-{} goes backwards", low, high));
    const int span = spec_.max - spec_.min + 1;
    const int length = high - low + span;
    for (int k = 0; k <= length; k += step) {
      out.values[static_cast<size_t>(spec_.min + (low - spec_.min + k) % span)] = true;
    }
  }

  void parse_last(std::string_view element, FieldValues& out) const {
    if (element.size() == 1) {
      out.before_last[0] = true;
      return;
    }
    if (element.size() > 2 && element[1] == '-' && all_digits(element.substr(2)) &&
        element.size() <= 4) {
      int offset = std::stoi(std::string(element.substr(2)));
      if (offset <= 30) {
        out.before_last[static_cast<size_t>(offset)] = true;
        return;
      }
    }
    reject_unsupported(element);
    fail(fmt::format("'{}' is not L or L-n (n from 0 to 30)", element));
  }

  void reject_unsupported(std::string_view element) const {
    for (char c : element) {
      char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper == 'W' && &spec_ == &kDayOfMonth) {
        fail("'W' (nearest weekday) is not supported");
      }
      if (c == '#') fail("'#' (nth weekday of the month) is not supported");
      // No day name contains an L, so any L here is Quartz's "last <weekday>" (or "L" = SAT).
      if (upper == 'L' && &spec_ == &kDayOfWeek) {
        fail("'L' (last weekday of the month) is not supported");
      }
    }
  }

  int parse_value(std::string_view token) const {
    if (token.empty()) fail("missing value in a range");
    int value = 0;
    if (all_digits(token)) {
      auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
      if (ec != std::errc() || end != token.data() + token.size()) value = spec_.max + 1;
    } else {
      int index = -1;
      for (int i = 0; i < spec_.name_count; ++i) {
        if (equals_ignore_case(token, spec_.names[i])) index = i;
      }
      if (index < 0) {
        fail(spec_.names != nullptr
                 ? fmt::format("'{}' is neither a number nor a name ({}-{})", token, spec_.names[0],
                               spec_.names[spec_.name_count - 1])
                 : fmt::format("'{}' is not a number", token));
      }
      value = spec_.min + index;
    }
    if (value < spec_.min || value > spec_.max) {
      fail(fmt::format("{} is out of range {}-{}", token, spec_.min, spec_.max));
    }
    return value;
  }

  const FieldSpec& spec_;
  std::string_view field_;
  std::string_view expression_;
};

template <size_t N>
void copy_bits(const FieldValues& from, std::bitset<N>& to, int offset) {
  for (size_t v = 0; v < from.values.size(); ++v) {
    if (from.values[v]) to[v - static_cast<size_t>(offset)] = true;
  }
}

template <size_t N>
bool all_set(const std::bitset<N>& bits, size_t from) {
  for (size_t i = from; i < N; ++i) {
    if (!bits[i]) return false;
  }
  return true;
}

// The first set bit at or after `from`, or -1.
template <size_t N>
int next_set(const std::bitset<N>& bits, int from) {
  for (size_t i = static_cast<size_t>(from); i < N; ++i) {
    if (bits[i]) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

CronSchedule CronSchedule::parse(std::string_view expression) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < expression.size()) {
    while (pos < expression.size() && std::isspace(static_cast<unsigned char>(expression[pos]))) {
      ++pos;
    }
    size_t start = pos;
    while (pos < expression.size() && !std::isspace(static_cast<unsigned char>(expression[pos]))) {
      ++pos;
    }
    if (pos > start) fields.push_back(expression.substr(start, pos - start));
  }
  if (fields.size() != 6 && fields.size() != 7) {
    throw ConfigError("interval",
                      fmt::format("cron expression '{}' has {} field(s), expected 6 or 7: "
                                  "second minute hour day-of-month month day-of-week [year]",
                                  expression, fields.size()));
  }

  CronSchedule schedule;
  schedule.expression_ = std::string(expression);
  // Validated so that a typo is reported, but minute resolution makes its value irrelevant.
  FieldParser(kSecond, fields[0], expression).parse();
  copy_bits(FieldParser(kMinute, fields[1], expression).parse(), schedule.minutes_, 0);
  copy_bits(FieldParser(kHour, fields[2], expression).parse(), schedule.hours_, 0);
  FieldValues days = FieldParser(kDayOfMonth, fields[3], expression).parse();
  copy_bits(days, schedule.days_of_month_, 0);
  schedule.before_last_ = days.before_last;
  copy_bits(FieldParser(kMonth, fields[4], expression).parse(), schedule.months_, 0);
  copy_bits(FieldParser(kDayOfWeek, fields[5], expression).parse(), schedule.days_of_week_, 1);
  if (fields.size() == 7) {
    FieldValues years = FieldParser(kYear, fields[6], expression).parse();
    copy_bits(years, schedule.years_, kMinYear);
    schedule.any_year_ = false;
  }
  schedule.day_of_month_restricted_ =
      schedule.before_last_.any() || !all_set(schedule.days_of_month_, 1);
  schedule.day_of_week_restricted_ = !schedule.days_of_week_.all();
  return schedule;
}

bool CronSchedule::year_matches(int year) const {
  return any_year_ ||
         (year >= kMinYear && year <= kMaxYear && years_[static_cast<size_t>(year - kMinYear)]);
}

bool CronSchedule::day_matches(std::chrono::year_month_day date) const {
  const unsigned day = static_cast<unsigned>(date.day());
  bool by_month_day = days_of_month_[day];
  if (!by_month_day && before_last_.any()) {
    const std::chrono::year_month_day_last end_of_month{date.year(),
                                                        std::chrono::month_day_last{date.month()}};
    const unsigned back = static_cast<unsigned>(end_of_month.day()) - day;
    by_month_day = back < before_last_.size() && before_last_[back];
  }
  const bool by_week_day = days_of_week_[std::chrono::weekday{date}.c_encoding()];
  // An unrestricted field matches every day, so AND is "the other field decides".
  if (day_of_month_restricted_ && day_of_week_restricted_) return by_month_day || by_week_day;
  return by_month_day && by_week_day;
}

std::optional<std::chrono::system_clock::time_point> CronSchedule::next_after(
    std::chrono::system_clock::time_point after) const {
  using namespace std::chrono;
  // Strictly after, at minute resolution: the earliest candidate is the next whole minute.
  const auto start = floor<minutes>(after) + minutes{1};
  const sys_days start_day = floor<days>(start);
  const year_month_day start_date{start_day};
  const int minute_of_day = static_cast<int>((start - start_day) / minutes{1});

  int y = static_cast<int>(start_date.year());
  int m = static_cast<int>(static_cast<unsigned>(start_date.month()));
  int d = static_cast<int>(static_cast<unsigned>(start_date.day()));
  int h = minute_of_day / 60;
  int mi = minute_of_day % 60;
  const int last_year = y + kHorizonYears;

  // Each mismatch jumps to the start of the next candidate unit (year, month, day, hour), so
  // the loop runs at most a few steps per day of the horizon.
  auto next_month = [&] {
    if (++m > 12) {
      m = 1;
      ++y;
    }
    d = 1;
    h = 0;
    mi = 0;
  };
  while (y <= last_year) {
    if (!year_matches(y)) {
      ++y;
      m = 1;
      d = 1;
      h = 0;
      mi = 0;
      continue;
    }
    const int matching_month = next_set(months_, m);
    if (matching_month < 0) {
      m = 12;
      next_month();
      continue;
    }
    if (matching_month != m) {
      m = matching_month;
      d = 1;
      h = 0;
      mi = 0;
    }
    const year_month_day_last end_of_month{year{y},
                                           month_day_last{month{static_cast<unsigned>(m)}}};
    if (d > static_cast<int>(static_cast<unsigned>(end_of_month.day()))) {
      next_month();
      continue;
    }
    const year_month_day date{year{y}, month{static_cast<unsigned>(m)},
                              day{static_cast<unsigned>(d)}};
    const int matching_hour = day_matches(date) ? next_set(hours_, h) : -1;
    if (matching_hour < 0) {
      ++d;
      h = 0;
      mi = 0;
      continue;
    }
    if (matching_hour != h) {
      h = matching_hour;
      mi = 0;
    }
    const int matching_minute = next_set(minutes_, mi);
    if (matching_minute < 0) {
      ++h;  // 24 makes next_set(hours_) fail, which moves on to the next day
      mi = 0;
      continue;
    }
    return sys_days{date} + hours{h} + minutes{matching_minute};
  }
  return std::nullopt;
}

}  // namespace connectors
