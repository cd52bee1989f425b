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

std::string iso_utc_now() { return iso_utc(std::chrono::system_clock::now()); }

}  // namespace connectors
