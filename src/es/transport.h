// HTTP transport to one Elasticsearch endpoint over libcurl. It keeps a pool of
// curl handles (http::HandlePool) so that connections stay alive between
// requests, and applies authentication, TLS and timeouts. One request is one attempt: retries live
// in Client. Thread-safe: any number of threads may call perform() at once.
#pragma once

#include <chrono>
#include <map>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/secret.h"
#include "http/curl_easy.h"

namespace connectors::es {

struct TransportOptions {
  std::string host;  // http(s)://host:port, no trailing path
  Secret api_key;    // wins over basic auth when set
  std::string username;
  Secret password;
  bool verify_certs = true;
  std::string ca_certs;  // PEM file; empty = the system store
  std::map<std::string, std::string> headers;
  std::chrono::milliseconds timeout{240000};
  std::chrono::milliseconds connect_timeout{10000};
};

struct HttpResponse {
  int status = 0;
  std::string body;
  http::Headers headers;  // names lower-cased
  std::string header(const std::string& lower_name) const;
};

// A request that got no HTTP answer. `curl_code` is the CURLcode.
struct TransportFailure {
  int curl_code = 0;
  bool timed_out = false;
  bool cancelled = false;
  std::string message;
};

class Transport {
 public:
  explicit Transport(TransportOptions options);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Sends one request. Returns the response (any status), or throws
  // TransportFailure when no answer came. `stop` aborts a transfer in flight.
  HttpResponse perform(std::string_view method, std::string_view path_and_query,
                       std::string_view body, std::string_view content_type,
                       std::stop_token stop = {});

  const TransportOptions& options() const { return options_; }

 private:
  TransportOptions options_;
  http::HandlePool pool_;
};

}  // namespace connectors::es
