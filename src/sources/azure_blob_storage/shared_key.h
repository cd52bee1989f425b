// Azure Storage "Shared Key" request signing (Microsoft's "Authorize with
// Shared Key", the Blob service's rules since version 2009-09-19): the string
// to sign of a request, and its Authorization header, an HMAC-SHA256 (OpenSSL)
// with the account key. No Debian package signs Azure requests, so this is
// written here (docs/HANDWRITTEN.md). Pure functions, thread-safe.
#pragma once

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/url.h"

namespace connectors::sources::azure {

// The x-ms-version the source speaks: one Azure and Azurite 3.35 both serve.
inline constexpr std::string_view kApiVersion = "2021-08-06";

// "/{account}{path}" and, for each query parameter sorted by its lower-cased
// name, "\n{name}:{values}" (a repeated parameter's values sorted and
// comma-joined). `path` is the URL's path as sent (percent-encoded, with a
// path-style endpoint's "/{account}" prefix); query values are raw.
std::string canonicalized_resource(std::string_view account, std::string_view path,
                                   const http::QueryParams& query);

// The x-ms-* headers, lower-cased names sorted, "name:value\n" each (values
// trimmed, inner runs of white space folded to one space).
std::string canonicalized_headers(const std::map<std::string, std::string>& headers);

// VERB, the twelve standard header lines (Content-Length empty when 0 or
// absent; Date empty, as x-ms-date is sent), the canonicalized headers and
// resource. Header names are matched without regard to case.
std::string string_to_sign(std::string_view method,
                           const std::map<std::string, std::string>& headers,
                           std::string_view account, std::string_view path,
                           const http::QueryParams& query);

// "SharedKey {account}:{base64(HMAC-SHA256(key, string_to_sign))}"; `key` is
// the account key decoded from base64.
std::string authorization(std::string_view account, std::string_view key,
                          std::string_view string_to_sign);

// The account key as bytes, or nullopt when it is not base64 (RFC 4648,
// padded) or empty.
std::optional<std::string> decode_account_key(std::string_view base64);

// An x-ms-date value: RFC 1123, GMT ("Sun, 06 Nov 1994 08:49:37 GMT").
std::string rfc1123(std::time_t time);

}  // namespace connectors::sources::azure
