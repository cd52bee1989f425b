#include "extraction/formats/cell_format.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace connectors::extraction::formats {

std::string excel_general_number(double value) {
  if (!std::isfinite(value)) return "";
  char buffer[64];
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.15G", value);
  }
  return buffer;
}

std::string_view excel_builtin_format(unsigned id) {
  // [MS-XLS] 2.4.126: the ids with a fixed code in every locale.
  static constexpr std::pair<unsigned, std::string_view> kBuiltin[] = {
      {1, "0"},
      {2, "0.00"},
      {3, "#,##0"},
      {4, "#,##0.00"},
      {9, "0%"},
      {10, "0.00%"},
      {11, "0.00E+00"},
      {12, "# ?/?"},
      {13, "# ?\?/?\?"},
      {14, "m/d/yy"},
      {15, "d-mmm-yy"},
      {16, "d-mmm"},
      {17, "mmm-yy"},
      {18, "h:mm AM/PM"},
      {19, "h:mm:ss AM/PM"},
      {20, "h:mm"},
      {21, "h:mm:ss"},
      {22, "m/d/yy h:mm"},
      {37, "#,##0 ;(#,##0)"},
      {38, "#,##0 ;[Red](#,##0)"},
      {39, "#,##0.00;(#,##0.00)"},
      {40, "#,##0.00;[Red](#,##0.00)"},
      {45, "mm:ss"},
      {46, "[h]:mm:ss"},
      {47, "mm:ss.0"},
      {48, "##0.0E+0"},
      {49, "@"}};
  for (const auto& [builtin, code] : kBuiltin) {
    if (builtin == id) return code;
  }
  return "";
}

namespace {

// One section of a format code, split into literal text and placeholders.
struct FormatSection {
  std::string pattern;  // the code, literals replaced by '\x01' markers
  std::vector<std::string> literals;
};

// The section of `code` for `value` (codes are "positive;negative;zero;text"),
// brackets ([Red], [$-409]) dropped except [h]/[m]/[s], quoted and escaped
// characters kept as literals.
FormatSection section_for(std::string_view code, double value, bool& negative_section) {
  std::vector<std::string_view> sections;
  std::size_t start = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '"') quoted = !quoted;
    if (code[i] == '\\') ++i;
    if (!quoted && i < code.size() && code[i] == ';') {
      sections.push_back(code.substr(start, i - start));
      start = i + 1;
    }
  }
  sections.push_back(code.substr(start));
  negative_section = value < 0 && sections.size() > 1;
  const std::string_view chosen =
      negative_section ? sections[1]
                       : (value == 0 && sections.size() > 2 ? sections[2] : sections[0]);
  FormatSection section;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const char c = chosen[i];
    if (c == '"') {
      const std::size_t end = chosen.find('"', i + 1);
      section.literals.emplace_back(chosen.substr(i + 1, std::min(end, chosen.size()) - i - 1));
      section.pattern += '\x01';
      i = end == std::string_view::npos ? chosen.size() : end;
    } else if (c == '\\' && i + 1 < chosen.size()) {
      section.literals.emplace_back(1, chosen[++i]);
      section.pattern += '\x01';
    } else if (c == '[') {
      const std::size_t end = chosen.find(']', i);
      const std::string_view inside = chosen.substr(i + 1, std::min(end, chosen.size()) - i - 1);
      if (inside == "h" || inside == "hh" || inside == "m" || inside == "mm" || inside == "s" ||
          inside == "ss") {
        section.pattern += inside;
      }
      i = end == std::string_view::npos ? chosen.size() : end;
    } else if (c == '_' || c == '*') {
      ++i;  // padding: a space the width of the next character
      section.pattern += ' ';
    } else if (c != '@') {
      section.pattern += c;
    }
  }
  return section;
}

std::string lowercase(std::string_view text) {
  std::string out;
  for (const char c : text) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_date_pattern(std::string_view pattern) {
  for (const char c : pattern) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == 'y' || lower == 'd' || lower == 'h' || lower == 's' || lower == 'm') return true;
  }
  return false;
}

std::string two_digits(int value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d", value);
  return buffer;
}

// A serial date and time (days since 1899-12-30 in the 1900 system, whose
// Lotus bug has a 29 February 1900; since 1904-01-01 in the 1904 system)
// rendered with a date pattern.
std::string format_date(double serial, const FormatSection& section, bool date1904) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  static constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};
  // No date before 1900 (1904) or after 9999: the number instead.
  if (!(serial >= 0 && serial < (date1904 ? 2957004 : 2958466))) {
    return excel_general_number(serial);
  }
  long days = static_cast<long>(std::floor(serial));
  if (date1904) days += 1462;  // the 1900 system's serial of 1904-01-01
  long seconds = std::lround((serial - std::floor(serial)) * 86400);
  if (seconds >= 86400) {
    ++days;
    seconds -= 86400;
  }
  const int weekday =
      static_cast<int>(((days - 1) % 7 + 7) % 7);  // serial 1 a Sunday, as Excel says
  int year = 1900, month = 2, day = 29;            // serial 60: the phantom day
  if (days != 60) {
    if (days < 60) ++days;  // before it, serials count from 1899-12-31
    // Civil date of `days` since 1899-12-30 (Howard Hinnant's algorithm).
    const long z = days - 25569 + 719468;  // 25569: days from 1899-12-30 to 1970-01-01
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  }
  const int hour = static_cast<int>(seconds / 3600), minute = static_cast<int>(seconds / 60 % 60),
            second = static_cast<int>(seconds % 60);
  const std::string& p = section.pattern;
  const std::string lower = lowercase(p);
  const bool twelve_hour =
      lower.find("am/pm") != std::string::npos || lower.find("a/p") != std::string::npos;
  std::string out;
  std::size_t literal = 0;
  bool after_hour = false;
  for (std::size_t i = 0; i < p.size();) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(p[i])));
    std::size_t run = 1;
    while (i + run < p.size() && std::tolower(static_cast<unsigned char>(p[i + run])) == c) ++run;
    if (p[i] == '\x01') {
      if (literal < section.literals.size()) out += section.literals[literal++];
      run = 1;
    } else if (c == 'y') {
      out += run <= 2 ? two_digits(year % 100) : std::to_string(year);
    } else if (c == 'd') {
      out += run == 1   ? std::to_string(day)
             : run == 2 ? two_digits(day)
             : run == 3 ? std::string(kDays[weekday]).substr(0, 3)
                        : kDays[weekday];
    } else if (c == 'm') {
      // Minutes after an hour or before seconds, months otherwise.
      std::size_t next = i + run;
      while (next < p.size() && !std::isalpha(static_cast<unsigned char>(p[next]))) ++next;
      const bool minutes =
          (after_hour || (next < p.size() && std::tolower(p[next]) == 's')) && run <= 2;
      if (minutes) {
        out += run == 1 ? std::to_string(minute) : two_digits(minute);
      } else {
        out += run == 1   ? std::to_string(month)
               : run == 2 ? two_digits(month)
               : run == 3 ? std::string(kMonths[month - 1]).substr(0, 3)
               : run == 5 ? std::string(kMonths[month - 1]).substr(0, 1)
                          : kMonths[month - 1];
      }
    } else if (c == 'h') {
      const int shown = twelve_hour ? (hour % 12 == 0 ? 12 : hour % 12) : hour;
      out += run == 1 ? std::to_string(shown) : two_digits(shown);
      after_hour = true;
      i += run;
      continue;
    } else if (c == 's') {
      out += run == 1 ? std::to_string(second) : two_digits(second);
    } else if (lower.compare(i, 5, "am/pm") == 0) {
      out += hour < 12 ? "AM" : "PM";  // in either case, as POI's DataFormatter
      run = 5;
    } else if (lower.compare(i, 3, "a/p") == 0) {
      out += hour < 12 ? "A" : "P";
      run = 3;
    } else if (c == '.' && i + 1 < p.size() && p[i + 1] == '0') {
      run = 1;  // fractions of seconds: not shown
      while (i + run < p.size() && p[i + run] == '0') ++run;
    } else {
      out.append(p, i, run);
    }
    if (c != 'h' && std::isalpha(static_cast<unsigned char>(c)) && c != 'm') after_hour = false;
    i += run;
  }
  return out;
}

// A number in a fraction pattern ("# ?/?", "# ??/??", "?/4", "# ?/100"): the
// whole part when the pattern has one, then the closest fraction whose
// denominator has at most as many digits as the pattern's (or is the fixed one).
// "" when the pattern is not a fraction Excel knows.
std::string format_fraction(double value, std::string_view p) {
  const std::size_t slash = p.find('/');
  std::size_t end = slash + 1;
  while (end < p.size() &&
         std::string_view("?#0123456789").find(p[end]) != std::string_view::npos) {
    ++end;
  }
  std::size_t numerator = slash;
  while (numerator > 0 &&
         std::string_view("?#0").find(p[numerator - 1]) != std::string_view::npos) {
    --numerator;
  }
  const std::string_view denominator = p.substr(slash + 1, end - slash - 1);
  if (denominator.empty() || denominator.size() > 4 || numerator == slash) return "";
  const bool fixed = denominator.find_first_not_of("0123456789") == std::string_view::npos;
  const bool has_whole = p.substr(0, numerator).find_first_of("?#0") != std::string_view::npos;
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e15) return "";
  double whole = has_whole ? std::floor(magnitude) : 0;
  const double part = magnitude - whole;
  long long best_n = 0, best_d = 1;
  if (fixed) {
    best_d = std::max(1L, std::strtol(std::string(denominator).c_str(), nullptr, 10));
    best_n = std::llround(part * static_cast<double>(best_d));
  } else {
    const long long max_d = static_cast<long long>(std::pow(10.0, denominator.size())) - 1;
    double best_error = 2;
    for (long long d = 1; d <= max_d; ++d) {
      const long long n = std::llround(part * static_cast<double>(d));
      const double error = std::fabs(part - static_cast<double>(n) / static_cast<double>(d));
      if (error < best_error) best_error = error, best_n = n, best_d = d;
    }
  }
  if (has_whole && best_n == best_d) whole += 1, best_n = 0;
  std::string out = value < 0 && (whole != 0 || best_n != 0) ? "-" : "";
  if (has_whole && (whole != 0 || best_n == 0)) out += excel_general_number(whole);
  if (best_n != 0 || !has_whole) {
    if (has_whole && whole != 0) out += ' ';
    out += std::to_string(best_n) + "/" + std::to_string(best_d);
  }
  return out;
}

// A number rendered with a numeric pattern: literal prefix and suffix, the
// digits with the pattern's decimals, thousands separators and percent.
std::string format_numeric(double value, const FormatSection& section, bool negative_section) {
  const std::string& p = section.pattern;
  const std::size_t first = p.find_first_of("0#?");
  const std::string lower = lowercase(p);
  if (first == std::string::npos && !p.empty() && lower.find("general") == std::string::npos) {
    // No digits: the section is its text ("zero", "n/a").
    std::string text;
    std::size_t literal = 0;
    for (const char c : p) {
      if (c != '\x01') {
        text += c;
      } else if (literal < section.literals.size()) {
        text += section.literals[literal++];
      }
    }
    return text;
  }
  if (first != std::string::npos && p.find('/') != std::string::npos) {
    const std::string fraction = format_fraction(negative_section ? std::fabs(value) : value, p);
    return fraction.empty() ? excel_general_number(value) : fraction;
  }
  if (first == std::string::npos) return excel_general_number(value);  // General, "@"
  const std::size_t last = p.find_last_of("0#?,.Ee+-");
  const bool percent = p.find('%') != std::string::npos;
  const std::size_t exponent = p.find_first_of("Ee", first);
  const bool scientific = exponent != std::string::npos && exponent + 1 < p.size() &&
                          (p[exponent + 1] == '+' || p[exponent + 1] == '-');
  const std::size_t point = p.find('.', first);
  int decimals = 0;
  if (point != std::string::npos && point <= last) {
    for (std::size_t i = point + 1;
         i <= last && decimals < 30 && (p[i] == '0' || p[i] == '#' || p[i] == '?'); ++i) {
      ++decimals;
    }
  }
  const std::size_t comma = p.find(',', first);
  const bool grouping = !scientific && comma != std::string::npos &&
                        comma < (point == std::string::npos ? last : point);
  double shown = percent ? value * 100 : value;
  if (negative_section) shown = std::fabs(shown);
  // Excel rounds halves away from zero; printf to even.
  const double scale = std::pow(10.0, decimals);
  if (std::fabs(shown) * scale < 1e15) shown = std::round(shown * scale) / scale;
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, scientific ? "%.*E" : "%.*f", decimals, std::fabs(shown));
  std::string digits = buffer;
  if (grouping) {
    const std::size_t integer_end = std::min(digits.find('.'), digits.size());
    for (std::size_t i = integer_end; i > 3; i -= 3) digits.insert(i - 3, ",");
  }
  std::size_t literal = 0;
  const auto literal_text = [&](std::string_view part) {
    std::string text;
    for (const char c : part) {
      if (c == '\x01') {
        if (literal < section.literals.size()) text += section.literals[literal++];
      } else if (c != '%' && std::string_view("0#?,.Ee+-").find(c) == std::string_view::npos) {
        text += c;
      }
    }
    return text;
  };
  const std::string sign = shown < 0 && std::strtod(buffer, nullptr) != 0 ? "-" : "";
  // Literals among the digits ("0 \"dollars and\" .00") follow them.
  std::string out = literal_text(p.substr(0, first)) + sign + digits;
  out += literal_text(p.substr(first, last - first + 1));
  out += literal_text(p.substr(last + 1));
  if (percent) out += '%';
  return out;
}

}  // namespace

std::string excel_formatted_number(double value, std::string_view code, bool date1904) {
  if (code.empty() || code == "General" || !std::isfinite(value))
    return excel_general_number(value);
  bool negative_section = false;
  const FormatSection section = section_for(code, value, negative_section);
  if (is_date_pattern(section.pattern)) return format_date(value, section, date1904);
  return format_numeric(value, section, negative_section);
}

}  // namespace connectors::extraction::formats
