#include "es/transport.h"

#include <curl/curl.h>

#include <stdexcept>

#include "core/version.h"

namespace connectors::es {
namespace {

size_t write_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

Transport::Transport(TransportOptions options) : options_(std::move(options)) {
  http::ensure_curl_global();
  while (!options_.host.empty() && options_.host.back() == '/') options_.host.pop_back();
}

Transport::~Transport() = default;

HttpResponse Transport::perform(std::string_view method, std::string_view path_and_query,
                                std::string_view body, std::string_view content_type,
                                std::stop_token stop) {
  std::unique_ptr<http::EasyHandle> handle;
  try {
    handle = pool_.acquire();
  } catch (const std::runtime_error& e) {
    throw TransportFailure{CURLE_FAILED_INIT, false, false, e.what()};
  }
  CURL* curl = handle->get();

  std::string url = options_.host;
  if (path_and_query.empty() || path_and_query.front() != '/') url.push_back('/');
  url.append(path_and_query);
  std::string method_text(method);

  HttpResponse response;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method_text.c_str());
  if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (!body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, http::collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate answers
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, http::abort_on_stop);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &stop);
  http::apply_tls(curl, {options_.verify_certs, "", options_.ca_certs});

  http::HeaderList headers;
  headers.add("Content-Type: " +
              std::string(content_type.empty() ? "application/json" : content_type));
  headers.add("Accept: application/json");
  headers.add("Expect:");  // no 100-continue round trip for large bodies
  headers.add(std::string("User-Agent: elastic-connectors-cpp/") + kVersion);
  headers.add("X-elastic-product-origin: connectors");
  if (!options_.api_key.empty()) {
    headers.add("Authorization: ApiKey " + options_.api_key.reveal());
  } else if (!options_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.reveal().c_str());
  }
  for (const auto& [name, value] : options_.headers) headers.add(name + ": " + value);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  CURLcode code = curl_easy_perform(curl);

  if (code != CURLE_OK) {  // the handle is dropped: it may hold a broken connection
    throw TransportFailure{code, code == CURLE_OPERATION_TIMEDOUT,
                           code == CURLE_ABORTED_BY_CALLBACK,
                           error_buffer[0] ? error_buffer : curl_easy_strerror(code)};
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  pool_.release(std::move(handle));
  return response;
}

}  // namespace connectors::es
