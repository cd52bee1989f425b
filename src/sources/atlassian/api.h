// The REST client of one Atlassian site, shared by the Confluence and Jira
// sources: basic authentication (Cloud: account email + API token; Server:
// username + password), TLS with the connector's CA, the retry policy of
// `retry_count` (backoff, and Retry-After on 429 and 503, in http::Client), a
// request rate (RateLimiter), and errors that say what failed in Atlassian's
// terms: a 401 names the user and the field to check, never the secret; a
// 403/404/410 names the endpoint. Thread-safe: the listing thread and the
// download workers share one Api.
#pragma once

#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <vector>

#include "http/client.h"
#include "sources/atlassian/rate_limiter.h"
#include "sources/atlassian/settings.h"
#include "sources/source.h"

namespace connectors::sources::atlassian {

// The SourceError for a request about `what` ("the spaces", "issue DP-1") that failed.
std::string failure_message(const Settings& s, const http::HttpError& error,
                            const std::string& what);

class Api {
 public:
  // `base_path` is appended to the site URL ("/wiki" for Confluence Cloud).
  Api(Settings settings, const std::string& base_path = "");

  // GET (or the request's method) with the rate limit; the body as JSON.
  // Throws SourceError (failure_message) when it fails after its retries.
  nlohmann::json get_json(const http::Request& request, const std::string& what,
                          std::stop_token stop);

  // Like get_json, but statuses in request.accept come back as a Response
  // instead of an error (a 400 answer to a query being validated).
  http::Response send(const http::Request& request, const std::string& what, std::stop_token stop);

  // Streams a download into `sink` (at most max_bytes + 1 bytes read).
  // Redirects are followed (Cloud sends attachments from its media service):
  // on the site with the credentials, elsewhere without them.
  void download(const http::Request& request, ContentSink& sink, long long max_bytes,
                const std::string& what, std::stop_token stop);

  const Settings& settings() const { return settings_; }
  // The URL a request goes to, for messages.
  std::string display(const http::Request& request) const;

 private:
  Settings settings_;
  http::Client client_;
  http::Client anonymous_;  // for redirects away from the site: no credentials
  RateLimiter limiter_;
};

}  // namespace connectors::sources::atlassian
