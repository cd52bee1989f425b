// ISO-8601 timestamps in UTC as the Python framework writes them
// (datetime.isoformat(): "2024-05-01T10:20:30.123456+00:00"). Pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace connectors {

using SystemTime = std::chrono::system_clock::time_point;

// Microsecond precision, "+00:00" suffix.
std::string iso_utc(SystemTime time);
std::string iso_utc_now();

// From seconds + nanoseconds since the epoch (e.g. struct stat's st_mtim).
std::string iso_utc(long long seconds, long nanoseconds);

// Milliseconds since the epoch of an ISO-8601 date-time ("2024-01-01T10:00:00Z",
// "...T10:00:00.123456+02:00", a date alone), or nullopt if it is not one.
std::optional<long long> parse_iso_millis(std::string_view text);

}  // namespace connectors
