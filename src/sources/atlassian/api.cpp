#include "sources/atlassian/api.h"

#include <fmt/format.h>

#include "core/errors.h"

namespace connectors::sources::atlassian {
namespace {

http::ClientOptions client_options(const Settings& s, const std::string& base_path) {
  http::ClientOptions o;
  o.base_url = s.url + base_path;
  o.headers = {{"Accept", "application/json"}};
  o.username = s.user;
  o.password = s.secret;
  o.retry.retry_count = s.retry_count;
  o.retry.base = s.retry_base;
  // A 429 storm can ask for long waits; Atlassian's Retry-After stays within minutes.
  o.retry.cap = std::chrono::minutes(5);
  if (s.ssl_enabled) o.tls.ca_pem = s.ssl_ca;
  return o;
}

// Thrown from a download sink once the engine wants no more bytes.
struct EnoughRead {};

constexpr int kMaxRedirects = 3;

// "https://host:port" of a URL.
std::string origin_of(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  auto path = url.find('/', scheme + 3);
  return url.substr(0, path);
}

}  // namespace

std::string failure_message(const Settings& s, const http::HttpError& e, const std::string& what) {
  const std::string endpoint = e.method() + " " + e.url();
  switch (e.status()) {
    case 401:
      // Atlassian's 401 body says nothing the user needs, and the user's
      // secret must never show: name the user and the fields to check.
      return fmt::format(
          "{}: the {} site refused the credentials of user '{}' (HTTP 401 on {}); check "
          "'{}' and '{}'",
          s.product, s.cloud ? "Cloud" : "Server", s.user, endpoint, s.user_key, s.secret_key);
    case 403:
      return fmt::format("{}: user '{}' may not read {} (HTTP 403 on {}): {}", s.product, s.user,
                         what, endpoint, e.detail());
    case 404:
      return fmt::format("{}: {} not found (HTTP 404 on {}): {}", s.product, what, endpoint,
                         e.detail());
    case 410:
      return fmt::format(
          "{}: the endpoint of {} is gone (HTTP 410 on {}): Atlassian removed it from this "
          "{} site: {}",
          s.product, what, endpoint, s.cloud ? "Cloud" : "Server", e.detail());
    default:
      return fmt::format("{}: cannot read {}: {}", s.product, what, e.what());
  }
}

Api::Api(Settings settings, const std::string& base_path)
    : settings_(std::move(settings)),
      client_(client_options(settings_, base_path)),
      anonymous_([this] {
        http::ClientOptions o = client_options(settings_, "");
        o.username.clear();
        o.password = Secret();
        return o;
      }()),
      limiter_(settings_.requests_per_second) {}

std::string Api::display(const http::Request& request) const {
  return http::display_url(client_.url_of(request));
}

http::Response Api::send(const http::Request& request, const std::string& what,
                         std::stop_token stop) {
  limiter_.acquire(stop);
  try {
    return client_.send(request, stop);
  } catch (const http::HttpError& e) {
    throw SourceError(failure_message(settings_, e, what));
  }
}

nlohmann::json Api::get_json(const http::Request& request, const std::string& what,
                             std::stop_token stop) {
  http::Response response = send(request, what, stop);
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_structured()) {
    throw SourceError(fmt::format("{}: the answer about {} is not JSON ({})", settings_.product,
                                  what, display(request)));
  }
  return body;
}

void Api::download(const http::Request& request, ContentSink& sink, long long max_bytes,
                   const std::string& what, std::stop_token stop) {
  http::Sink into_sink = [&sink](std::string_view chunk) {
    if (!sink.write(chunk)) throw EnoughRead{};
  };
  const std::string site = origin_of(settings_.url);
  http::Request current = request;
  current.accept = {301, 302, 303, 307, 308};  // followed below, not errors
  http::Client* client = &client_;
  try {
    for (int redirects = 0;; ++redirects) {
      limiter_.acquire(stop);
      auto result = client->download(current, into_sink,
                                     static_cast<uint64_t>(std::max(0LL, max_bytes)), stop);
      auto location = result.headers.find("location");
      if (result.status < 300 || result.status >= 400) return;
      if (location == result.headers.end() || redirects == kMaxRedirects) {
        throw SourceError(fmt::format("{}: {} redirected too often or nowhere (HTTP {} on {})",
                                      settings_.product, what, result.status, display(request)));
      }
      std::string target = location->second;
      if (target.starts_with("/")) target = site + target;
      client = origin_of(target) == site ? &client_ : &anonymous_;
      current = http::Request("GET", target);
      current.accept = {301, 302, 303, 307, 308};
    }
  } catch (const EnoughRead&) {
  } catch (const http::HttpError& e) {
    throw SourceError(failure_message(settings_, e, what));
  }
}

}  // namespace connectors::sources::atlassian
