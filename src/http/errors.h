// The error of a source's HTTP request that did not succeed, after its retries.
// It keeps method, URL (as display_url shows it: no credentials, no query-string
// secrets), status and a short body excerpt as members, so that a source can
// decide on them (404 → missing, 403 → permissions) without parsing what().
#pragma once

#include <string>

#include "core/errors.h"

namespace connectors::http {

class HttpError : public SourceError {
 public:
  // status 0: no answer (refused, reset, timeout, TLS failure); `detail` says why.
  // With a status, `detail` is the body excerpt.
  HttpError(std::string method, std::string url, int status, std::string detail, int attempts,
            int curl_code = 0);

  const std::string& method() const { return method_; }
  const std::string& url() const { return url_; }
  int status() const { return status_; }
  const std::string& detail() const { return detail_; }
  int curl_code() const { return curl_code_; }
  bool is_not_found() const { return status_ == 404; }
  bool is_connection_error() const { return status_ == 0; }

 private:
  std::string method_;
  std::string url_;
  int status_;
  std::string detail_;
  int curl_code_;
};

}  // namespace connectors::http
