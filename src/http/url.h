// Building request URLs and showing them safely. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace connectors::http {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ (and '/' when
// `keep_slash`, for an object key used as a path) becomes %XX with upper-case hex.
std::string percent_encode(std::string_view text, bool keep_slash = false);

// "a=1&b=x%2Fy": names and values percent-encoded, in the given order, or sorted
// by name then value when `sorted` (the canonical order AWS Signature V4 signs).
std::string query_string(QueryParams params, bool sorted = false);

// `url` as it may appear in a log line or an error: no user:password@, and the
// value of every query parameter that carries a credential (SAS `sig`,
// `X-Amz-Signature`, `X-Amz-Security-Token`, `access_token`, `token`, `key`, ...)
// replaced by ***.
std::string display_url(std::string_view url);

// `url` without a user:password@ part.
std::string url_without_credentials(std::string_view url);

}  // namespace connectors::http
