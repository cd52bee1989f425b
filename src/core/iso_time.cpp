#include "core/iso_time.h"

#include <fmt/format.h>

#include <ctime>

namespace connectors {

std::string iso_utc(long long seconds, long nanoseconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  long micros = nanoseconds / 1000;
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  // isoformat() omits the fraction when it is zero.
  if (micros != 0) out += fmt::format(".{:06}", micros);
  return out + "+00:00";
}

std::string iso_utc(SystemTime time) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
  long long seconds = ns / 1000000000;
  long rest = static_cast<long>(ns % 1000000000);
  if (rest < 0) {
    seconds -= 1;
    rest += 1000000000;
  }
  return iso_utc(seconds, rest);
}

namespace {

bool digits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// Days from 1970-01-01 to a civil date (proleptic Gregorian).
long long days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

std::optional<long long> parse_iso_millis(std::string_view t) {
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!digits(t, 0, 4, year) || t.size() < 10 || t[4] != '-' || !digits(t, 5, 2, month) ||
      t[7] != '-' || !digits(t, 8, 2, day) || month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  size_t pos = 10;
  long long millis = 0;
  if (pos < t.size() && (t[pos] == 'T' || t[pos] == ' ')) {
    if (!digits(t, pos + 1, 2, hour) || t.size() < pos + 6 || t[pos + 3] != ':' ||
        !digits(t, pos + 4, 2, minute)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < t.size() && t[pos] == ':') {
      if (!digits(t, pos + 1, 2, second)) return std::nullopt;
      pos += 3;
    }
    if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
      size_t start = ++pos;
      long long scale = 100;
      while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
        millis += (t[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
  }
  long long offset_minutes = 0;
  if (pos < t.size()) {
    if (t[pos] == 'Z' && pos + 1 == t.size()) {
      pos += 1;
    } else if ((t[pos] == '+' || t[pos] == '-') ) {
      int oh, om = 0;
      if (!digits(t, pos + 1, 2, oh)) return std::nullopt;
      size_t next = pos + 3;
      if (next < t.size() && t[next] == ':') ++next;
      if (next < t.size() && !digits(t, next, 2, om)) return std::nullopt;
      offset_minutes = (t[pos] == '-' ? -1 : 1) * (oh * 60 + om);
      pos = next < t.size() ? next + 2 : next;
    }
    if (pos != t.size()) return std::nullopt;
  }
  long long seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                      second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string iso_utc_now() { return iso_utc(std::chrono::system_clock::now()); }

}  // namespace connectors
