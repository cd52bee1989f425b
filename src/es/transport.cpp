#include "es/transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

#include "core/version.h"

namespace connectors::es {
namespace {

// libcurl's global state must be set up once before any thread uses it.
struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

void ensure_curl_global() { static CurlGlobal global; }

size_t write_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t write_header(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    (*headers)[name] = std::string(value);
  }
  return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* stop = static_cast<std::stop_token*>(user);
  return stop->stop_requested() ? 1 : 0;  // non-zero aborts the transfer
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

struct Transport::Handle {
  CURL* curl = nullptr;
  Handle() : curl(curl_easy_init()) {}
  ~Handle() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

Transport::Transport(TransportOptions options) : options_(std::move(options)) {
  ensure_curl_global();
  while (!options_.host.empty() && options_.host.back() == '/') options_.host.pop_back();
}

Transport::~Transport() = default;

std::unique_ptr<Transport::Handle> Transport::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  auto handle = std::make_unique<Handle>();
  if (handle->curl == nullptr) throw TransportFailure{CURLE_FAILED_INIT, false, false, "curl_easy_init failed"};
  return handle;
}

void Transport::release(std::unique_ptr<Handle> handle) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(handle));
}

HttpResponse Transport::perform(std::string_view method, std::string_view path_and_query,
                                std::string_view body, std::string_view content_type,
                                std::stop_token stop) {
  auto handle = acquire();
  CURL* curl = handle->curl;
  curl_easy_reset(curl);  // keeps the connection cache, clears per-request options

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
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate answers
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &stop);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options_.verify_certs ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options_.verify_certs ? 2L : 0L);
  if (!options_.ca_certs.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_certs.c_str());

  struct curl_slist* headers = nullptr;
  std::vector<std::string> lines;
  lines.push_back("Content-Type: " + std::string(content_type.empty() ? "application/json" : content_type));
  lines.push_back("Accept: application/json");
  lines.push_back("Expect:");  // no 100-continue round trip for large bodies
  lines.push_back(std::string("User-Agent: elastic-connectors-cpp/") + kVersion);
  lines.push_back("X-elastic-product-origin: connectors");
  if (!options_.api_key.empty()) {
    lines.push_back("Authorization: ApiKey " + options_.api_key.reveal());
  } else if (!options_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.reveal().c_str());
  }
  for (const auto& [name, value] : options_.headers) lines.push_back(name + ": " + value);
  for (const auto& line : lines) headers = curl_slist_append(headers, line.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);

  if (code != CURLE_OK) {
    TransportFailure failure{code, code == CURLE_OPERATION_TIMEDOUT,
                             code == CURLE_ABORTED_BY_CALLBACK,
                             error_buffer[0] ? error_buffer : curl_easy_strerror(code)};
    throw failure;  // the handle is dropped: it may hold a broken connection
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  release(std::move(handle));
  return response;
}

}  // namespace connectors::es
