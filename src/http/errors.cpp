#include "http/errors.h"

#include "core/logging.h"

namespace connectors::http {
namespace {

std::string compose(const std::string& method, const std::string& url, int status,
                    const std::string& detail, int attempts) {
  std::string text = method + " " + url + ": ";
  text += status == 0 ? "no answer (" + detail + ")" : "HTTP " + std::to_string(status);
  if (status != 0 && !detail.empty()) text += ": " + detail;
  if (attempts > 1) text += " (after " + std::to_string(attempts) + " attempts)";
  return logging::redact(std::move(text));  // a registered secret never leaves in an error
}

}  // namespace

HttpError::HttpError(std::string method, std::string url, int status, std::string detail,
                     int attempts, int curl_code)
    : SourceError(compose(method, url, status, detail, attempts)),
      method_(std::move(method)),
      url_(std::move(url)),
      status_(status),
      detail_(logging::redact(std::move(detail))),
      curl_code_(curl_code) {}

}  // namespace connectors::http
