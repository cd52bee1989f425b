#include "extraction/formats/cell_format.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace connectors::extraction::formats {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};

// The first section of a format (positive numbers), without [colour],
// [$-locale] and [condition] prefixes; [h] [m] [s] become h m s.
std::string first_section(std::string_view code) {
  std::string out;
  bool quoted = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '\\' && i + 1 < code.size()) {
      out += code.substr(i, 2);
      ++i;
      continue;
    }
    if (!quoted && c == ';') break;
    if (!quoted && c == '[') {
      const size_t close = code.find(']', i);
      if (close == std::string_view::npos) break;
      const std::string_view inside = code.substr(i + 1, close - i - 1);
      if (!inside.empty() && (inside[0] == 'h' || inside[0] == 'H' || inside[0] == 'm' ||
                              inside[0] == 'M' || inside[0] == 's' || inside[0] == 'S')) {
        out += inside;
      }
      i = close;
      continue;
    }
    out += c;
  }
  return out;
}

// True when the section has date or time codes outside quotes.
bool is_date_format(std::string_view section) {
  bool quoted = false;
  for (size_t i = 0; i < section.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(section[i])));
    if (section[i] == '"') quoted = !quoted;
    if (quoted) continue;
    if (section[i] == '\\' || section[i] == '_' || section[i] == '*') {
      ++i;
      continue;
    }
    if (c == 'y' || c == 'm' || c == 'd' || c == 'h' || c == 's') return true;
  }
  return false;
}

struct DateTime {
  long year, month, day, hour, minute, second, weekday;
};

// Serial days as a civil date (Howard Hinnant's days_from_civil inverse).
DateTime to_date_time(double serial, bool date1904) {
  long days = static_cast<long>(std::floor(serial));
  long seconds = std::lround((serial - std::floor(serial)) * 86400.0);
  if (seconds >= 86400) {
    ++days;
    seconds -= 86400;
  }
  // Days since 1970-01-01. Excel's 1900 system counts a 29 February 1900
  // that never was (serial 60), so serials after it are one day ahead.
  long z = date1904 ? days - 24107 : days - 25569 + (days < 60 ? 1 : 0);
  const long weekday = ((z % 7) + 11) % 7;  // 1970-01-01 was a Thursday
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long day = doy - (153 * mp + 2) / 5 + 1;
  const long month = mp < 10 ? mp + 3 : mp - 9;
  const long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day, seconds / 3600, seconds / 60 % 60, seconds % 60, weekday};
}

std::string padded(long value, size_t width) {
  std::string digits = std::to_string(value);
  return digits.size() >= width ? digits : std::string(width - digits.size(), '0') + digits;
}

std::string format_date(double value, const std::string& section, bool date1904) {
  const DateTime t = to_date_time(value, date1904);
  std::string lower;
  for (char c : section) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool twelve_hour =
      lower.find("am/pm") != std::string::npos || lower.find("a/p") != std::string::npos;
  std::string out;
  bool after_hour = false;  // "m" right after an hour is minutes
  for (size_t i = 0; i < section.size();) {
    const char c = lower[i];
    size_t run = 1;
    while (i + run < section.size() && lower[i + run] == c) ++run;
    if (section[i] == '"') {
      const size_t close = section.find('"', i + 1);
      out += section.substr(i + 1, (close == std::string::npos ? section.size() : close) - i - 1);
      i = close == std::string::npos ? section.size() : close + 1;
      continue;
    }
    if (section[i] == '\\' && i + 1 < section.size()) {
      out += section[i + 1];
      i += 2;
      continue;
    }
    if (lower.compare(i, 5, "am/pm") == 0) {
      out += t.hour < 12 ? "AM" : "PM";
      i += 5;
      continue;
    }
    if (lower.compare(i, 3, "a/p") == 0) {
      out += t.hour < 12 ? "A" : "P";
      i += 3;
      continue;
    }
    if (c == 'y') {
      out += run >= 3 ? padded(t.year, 4) : padded(t.year % 100, 2);
    } else if (c == 'm') {
      // Minutes after an hour or before seconds; otherwise the month.
      const size_t next = lower.find_first_not_of(" :.\\0", i + run);
      const bool minutes =
          (after_hour || (next != std::string::npos && lower[next] == 's')) && run <= 2;
      if (minutes) {
        out += padded(t.minute, run);
      } else if (run <= 2) {
        out += padded(t.month, run);
      } else {
        const std::string_view name = kMonths[static_cast<size_t>(t.month - 1)];
        out += run == 3 ? name.substr(0, 3) : run == 5 ? name.substr(0, 1) : name;
      }
    } else if (c == 'd') {
      if (run <= 2) {
        out += padded(t.day, run);
      } else {
        const std::string_view name = kWeekdays[static_cast<size_t>(t.weekday)];
        out += run == 3 ? name.substr(0, 3) : name;
      }
    } else if (c == 'h') {
      long hour = t.hour;
      if (twelve_hour) hour = hour % 12 == 0 ? 12 : hour % 12;
      out += padded(hour, std::min<size_t>(run, 2));
    } else if (c == 's') {
      out += padded(t.second, std::min<size_t>(run, 2));
    } else if (c == '_' || c == '*') {
      i += 2;  // a padding instruction and its character
      continue;
    } else {
      out += section.substr(i, run);
    }
    if (c == 'h') after_hour = true;
    if (c != 'h' && std::isalpha(static_cast<unsigned char>(c))) after_hour = false;
    i += run;
  }
  return out;
}

std::string format_plain_number(double value, const std::string& section) {
  // Literal text around the number; placeholders in between.
  std::string prefix, suffix;
  size_t decimals = 0;
  int percents = 0;
  bool thousands = false, seen_digit = false, after_point = false, scientific = false;
  for (size_t i = 0; i < section.size(); ++i) {
    const char c = section[i];
    std::string literal;
    if (c == '"') {
      const size_t close = section.find('"', i + 1);
      literal =
          section.substr(i + 1, (close == std::string::npos ? section.size() : close) - i - 1);
      i = close == std::string::npos ? section.size() : close;
    } else if (c == '\\' && i + 1 < section.size()) {
      literal = section.substr(++i, 1);
    } else if (c == '_' || c == '*') {
      ++i;
      literal = c == '_' ? " " : "";
    } else if (c == '0' || c == '#' || c == '?') {
      seen_digit = true;
      if (after_point && !scientific && decimals < 30) ++decimals;
      continue;
    } else if (c == '.' && !after_point) {
      after_point = true;
      continue;
    } else if (c == ',' && seen_digit && !after_point) {
      thousands = true;
      continue;
    } else if ((c == 'E' || c == 'e') && i + 1 < section.size() &&
               (section[i + 1] == '+' || section[i + 1] == '-')) {
      scientific = true;
      ++i;
      continue;
    } else if (c == '/') {
      return general_number(value);  // fractions: not read
    } else {
      if (c == '%') ++percents;
      literal = std::string(1, c);
    }
    (seen_digit ? suffix : prefix) += literal;
  }
  if (!seen_digit) return prefix + suffix;
  for (int p = 0; p < percents; ++p) value *= 100;
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, scientific ? "%.*E" : "%.*f", static_cast<int>(decimals),
                value);
  std::string number = buffer;
  if (thousands && !scientific) {
    const size_t start = number[0] == '-' ? 1 : 0;
    size_t point = number.find('.');
    if (point == std::string::npos) point = number.size();
    for (size_t at = point; at > start + 3; at -= 3) number.insert(at - 3, ",");
  }
  return prefix + number + suffix;
}

}  // namespace

std::string_view builtin_number_format(int id) {
  switch (id) {
    case 1:
      return "0";
    case 2:
      return "0.00";
    case 3:
      return "#,##0";
    case 4:
      return "#,##0.00";
    case 9:
      return "0%";
    case 10:
      return "0.00%";
    case 11:
      return "0.00E+00";
    case 14:
      return "m/d/yy";
    case 15:
      return "d-mmm-yy";
    case 16:
      return "d-mmm";
    case 17:
      return "mmm-yy";
    case 18:
      return "h:mm AM/PM";
    case 19:
      return "h:mm:ss AM/PM";
    case 20:
      return "h:mm";
    case 21:
      return "h:mm:ss";
    case 22:
      return "m/d/yy h:mm";
    case 37:
      return "#,##0 ;(#,##0)";
    case 38:
      return "#,##0 ;[Red](#,##0)";
    case 39:
      return "#,##0.00;(#,##0.00)";
    case 40:
      return "#,##0.00;[Red](#,##0.00)";
    case 45:
      return "mm:ss";
    case 46:
      return "[h]:mm:ss";
    case 47:
      return "mm:ss.0";
    case 48:
      return "##0.0E+0";
    case 49:
      return "@";
    default:
      return "";
  }
}

std::string general_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15G", value);
  return buffer;
}

std::string format_cell_number(double value, std::string_view code, bool date1904) {
  const std::string section = first_section(code);
  std::string lower;
  for (char c : section) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (section.empty() || lower == "general" || section == "@" || !std::isfinite(value)) {
    return general_number(value);
  }
  if (is_date_format(section)) {
    // Excel shows no date before 1900 or after 9999: the number instead.
    if (value < 0 || value > 2958465) return general_number(value);
    return format_date(value, section, date1904);
  }
  return format_plain_number(value, section);
}

}  // namespace connectors::extraction::formats
