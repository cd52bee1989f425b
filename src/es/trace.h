// The request trace of elasticsearch.log_level: debug. Each request the client
// makes becomes one debug record on logging::transport_logger(): method, URL
// without credentials, status (or why no answer came), duration, and the request
// and response bodies, each cut to kTraceBodyLimit bytes with its full size.
// Headers are never printed (they carry Authorization). In bodies, the values of
// connector configuration fields marked "sensitive": true are replaced by ***,
// and registered secrets are masked as in every log line. Pure functions apart
// from the logging itself; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "http/url.h"

namespace connectors::es {

inline constexpr size_t kTraceBodyLimit = 4096;

// `body` (JSON, NDJSON or other text) as it may be printed: in every JSON object
// that has "sensitive": true, a non-empty "value" becomes "***", at any depth
// (connector documents, job documents' connector.configuration, _search hits,
// _bulk lines, _update docs). Masked string values are also registered with
// logging::register_secret, so that they are masked wherever else they appear.
// The result is cut to about `limit` bytes (on a UTF-8 boundary) and ends with
// the body's full size when it was cut.
std::string printable_body(std::string_view body, size_t limit = kTraceBodyLimit);

using http::url_without_credentials;

struct TracedRequest {
  std::string_view method;
  std::string_view url;
  std::string_view request_body;
  int status = 0;            // 0: no answer
  std::string_view failure;  // why no answer came, when status is 0
  std::string_view response_body;
  std::chrono::steady_clock::duration duration{};
};

// The text of one trace record, e.g.
//   GET http://es:9200/idx/_search [status:200 duration:0.004s]
//   > {"query":{"match_all":{}}}
//   < {"hits":...} (cut, 52311 bytes)
std::string format_trace(const TracedRequest& request);

// Logs format_trace(request) at debug on the transport logger.
void trace_request(const TracedRequest& request);

}  // namespace connectors::es
