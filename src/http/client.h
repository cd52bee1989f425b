// The HTTP client of the sources (S3, GCS, Azure Blob, Confluence, Jira): one
// Client per source connection, over libcurl. It keeps connections alive (a
// pool of easy handles), applies TLS (verification on by default; the CA as PEM
// text or a file), authentication (basic, bearer, AWS Signature V4, or a
// per-request Authorization), timeouts and the retry policy of the seeds;
// proxies come from the environment (http_proxy, https_proxy, no_proxy, read
// by libcurl). Bodies of `send` are kept in memory up to a cap; `download`
// streams to the caller's sink and never holds the body. Errors are HttpError
// (no credentials or query-string secrets in them); a stop request ends any
// wait or transfer with Cancelled.
//
// Thread-safe: any number of threads may use one Client at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"
#include "http/curl_easy.h"
#include "http/errors.h"
#include "http/retry.h"
#include "http/url.h"

namespace connectors::http {

// AWS Signature V4, computed by libcurl (CURLOPT_AWS_SIGV4). The client sends
// the query parameters sorted and encoded, as the canonical request needs.
struct AwsSigV4 {
  std::string region = "us-east-1";
  std::string service = "s3";
  std::string access_key_id;  // not a secret: errors name it
  Secret secret_access_key;
  Secret session_token;  // sent as x-amz-security-token when set (temporary credentials)
};

struct ClientOptions {
  std::string base_url;  // scheme://host[:port][/prefix]; request paths are appended
  std::map<std::string, std::string> headers;  // sent with every request
  std::string user_agent;                      // empty: elastic-connectors-cpp/<version>
  std::chrono::milliseconds connect_timeout{30000};
  // A transfer during which nothing moves for this long fails (checked about
  // every second); slow but moving downloads go on. 90 s as the S3 source's botocore.
  std::chrono::milliseconds read_timeout{90000};
  std::chrono::milliseconds total_timeout{0};  // the whole request; 0 = no limit
  TlsOptions tls;
  // Authentication, the first one set wins: aws_sigv4, bearer_token, username/password.
  std::optional<AwsSigV4> aws_sigv4;
  Secret bearer_token;
  std::string username;
  Secret password;
  RetryPolicy retry;
  // `send` refuses a response body larger than this (use `download` for content).
  uint64_t max_response_bytes = 64ULL << 20;
};

struct Request {
  Request() = default;
  Request(std::string method_name, std::string path_text, QueryParams query_params = {})
      : method(std::move(method_name)),
        path(std::move(path_text)),
        query(std::move(query_params)) {}

  std::string method = "GET";
  // Appended to the base URL, already percent-encoded (percent_encode(key, true)
  // for an object key), or an absolute http(s):// URL (a next-page link) used as is.
  std::string path;
  QueryParams query;                           // raw names and values; the client encodes them
  std::map<std::string, std::string> headers;  // win over the client's default headers
  std::string body;  // Content-Type defaults to application/octet-stream when there is a body
  // An Authorization header computed per request (Azure SharedKey, a refreshed
  // OAuth2 token); wins over the client's authentication.
  Secret authorization;
  // Statuses besides 2xx that `send` returns instead of throwing (404 of an
  // optional object). They are never retried.
  std::vector<int> accept;
};

struct Response {
  int status = 0;
  Headers headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& lower_name) const;
};

struct DownloadResult {
  int status = 0;
  Headers headers;
  uint64_t bytes = 0;  // handed to the sink
  bool over_limit =
      false;  // more than max_bytes came (or Content-Length said so): the rest was not read
};

// Receives the body in order, chunk by chunk. Throwing aborts the download and
// the exception reaches the caller of download().
using Sink = std::function<void(std::string_view chunk)>;

class Client {
 public:
  explicit Client(ClientOptions options);
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends `request`, retrying transient failures (no answer, 429, 500, 502, 503,
  // 504) per the retry policy. Returns a 2xx response or one of request.accept;
  // throws HttpError otherwise, Cancelled on a stop.
  Response send(const Request& request, std::stop_token stop = {});

  // send() and the body parsed as JSON; a body that is not JSON is an HttpError.
  nlohmann::json send_json(const Request& request, std::stop_token stop = {});

  // Paged listing: sends `first`, hands each response to `next_page`, which
  // returns the request of the next page or nullopt after the last one.
  void paginate(Request first,
                const std::function<std::optional<Request>(const Response&)>& next_page,
                std::stop_token stop = {});

  // Streams a 2xx body to `sink`. Stops reading, with over_limit set, once more
  // than `max_bytes` arrive or when Content-Length announces more; what the sink
  // got so far stays with it. Retried like send() only while the sink has had
  // nothing; a failure after that is an HttpError at once.
  DownloadResult download(const Request& request, const Sink& sink, uint64_t max_bytes,
                          std::stop_token stop = {});

  // The URL `request` goes to (query encoded, sorted when signing), as sent.
  std::string url_of(const Request& request) const;

  const ClientOptions& options() const { return options_; }

 private:
  struct Attempt;
  struct Transfer;
  Attempt transfer_with_retries(const Request& request, Transfer& transfer,
                                const std::function<void()>& restart, std::stop_token stop);
  Attempt perform(const Request& request, const std::string& url, Transfer& transfer,
                  std::stop_token& stop);

  ClientOptions options_;
  HandlePool pool_;
};

}  // namespace connectors::http
