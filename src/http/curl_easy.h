// The libcurl pieces every HTTP client of the project shares (sources' http::Client
// and es::Transport): the one-time global init, a pool of easy handles so that
// connections stay alive between requests, TLS options, and the header and
// progress callbacks. Thread-safe where stated.
#pragma once

#include <curl/curl.h>

#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

namespace connectors::http {

// Sets up libcurl's global state once per process (thread-safe, idempotent).
void ensure_curl_global();

// An easy handle; its connection cache (kept-alive connections) lives as long as it.
class EasyHandle {
 public:
  EasyHandle();  // throws std::runtime_error when curl_easy_init fails
  ~EasyHandle();
  EasyHandle(const EasyHandle&) = delete;
  EasyHandle& operator=(const EasyHandle&) = delete;
  CURL* get() const { return curl_; }

 private:
  CURL* curl_;
};

// Idle handles for reuse. acquire() gives an idle handle (reset, its connections
// kept) or a new one; release() returns a handle whose last transfer succeeded.
// A handle whose transfer failed is simply dropped: it may hold a broken
// connection. Thread-safe.
class HandlePool {
 public:
  std::unique_ptr<EasyHandle> acquire();
  void release(std::unique_ptr<EasyHandle> handle);

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<EasyHandle>> idle_;  // guarded by mutex_
};

struct TlsOptions {
  bool verify = true;   // peer certificate and host name
  std::string ca_pem;   // CA certificate(s) as PEM text (a seed's `ssl_ca`); wins over ca_file
  std::string ca_file;  // CA file path; both empty = the system store
};

// Applies `tls` to `curl`. The PEM text is copied by libcurl.
void apply_tls(CURL* curl, const TlsOptions& tls);

// Response headers by lower-cased name. A status line ("HTTP/1.1 200 OK")
// clears what came before it, so that only the final response's headers remain
// (not a proxy's CONNECT answer, a 100 Continue or a redirect).
using Headers = std::map<std::string, std::string>;
// CURLOPT_HEADERFUNCTION with CURLOPT_HEADERDATA = Headers*.
size_t collect_header(char* data, size_t size, size_t count, void* headers);

// Whether a request that got no answer with this CURLcode will fail the same way
// however long one waits: a certificate problem, a malformed URL, an unsupported
// scheme. Refused, reset and timed-out connections are worth retrying.
bool is_permanent_failure(int curl_code);

// CURLOPT_XFERINFOFUNCTION with CURLOPT_XFERINFODATA = std::stop_token*: aborts
// the transfer (CURLE_ABORTED_BY_CALLBACK) once a stop is requested.
int abort_on_stop(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

// A curl_slist of header lines, freed with the object.
class HeaderList {
 public:
  HeaderList() = default;
  ~HeaderList() { curl_slist_free_all(list_); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  void add(const std::string& line) { list_ = curl_slist_append(list_, line.c_str()); }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

}  // namespace connectors::http
