#include "http/client.h"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "core/version.h"

namespace connectors::http {
namespace {

constexpr size_t kExcerptBytes = 300;

bool is_success(int status) { return status >= 200 && status < 300; }

bool is_absolute(std::string_view path) {
  return path.starts_with("http://") || path.starts_with("https://");
}

bool has_header(const std::map<std::string, std::string>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& entry) {
    return entry.first.size() == name.size() &&
           std::equal(name.begin(), name.end(), entry.first.begin(),
                      [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  });
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0F]);
  }
  return out;
}

// The first bytes of a body, for an error message: one line, cut on a UTF-8 boundary.
std::string excerpt(std::string_view body) {
  size_t cut = std::min(kExcerptBytes, body.size());
  while (cut > 0 && cut < body.size() && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string out(body.substr(0, cut));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return cut < body.size() ? out + "..." : out;
}

// CURLOPT_XFERINFOFUNCTION of the client: aborts on a stop request, and when no
// byte moved either way for `read_timeout` (libcurl's low-speed limit averages
// over seconds, so a stalled transfer would outlive the timeout).
struct Progress {
  std::stop_token* stop;
  std::chrono::milliseconds read_timeout;
  curl_off_t moved = 0;
  std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();
  bool idle = false;

  static int check(void* user, curl_off_t, curl_off_t down, curl_off_t, curl_off_t up) {
    auto& p = *static_cast<Progress*>(user);
    if (p.stop->stop_requested()) return 1;
    auto now = std::chrono::steady_clock::now();
    if (down + up != p.moved) {
      p.moved = down + up;
      p.since = now;
    } else if (now - p.since > p.read_timeout) {
      p.idle = true;
      return 1;
    }
    return 0;
  }
};

}  // namespace

// What one attempt brought: an answer (status != 0) or why none came.
struct Client::Attempt {
  int status = 0;
  Headers headers;
  CURLcode code = CURLE_OK;
  std::string failure;
};

// The body's way to the caller, across the attempts of one request.
struct Client::Transfer {
  const Sink* sink = nullptr;
  uint64_t max_bytes = 0;
  bool only_success = false;  // a non-2xx body is not the sink's (a download's error page)
  bool accept_encoding = false;
  // Per attempt:
  CURL* curl = nullptr;
  const Headers* headers = nullptr;
  bool started = false;
  bool to_sink = false;
  uint64_t delivered = 0;  // over all attempts
  bool over_limit = false;
  std::string error_body;  // the body's first bytes
  std::exception_ptr sink_error;

  static size_t write(char* data, size_t size, size_t count, void* user);
};

size_t Client::Transfer::write(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  size_t n = size * count;
  if (!t.started) {
    t.started = true;
    long status = 0;
    curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
    t.to_sink = !t.only_success || is_success(static_cast<int>(status));
    curl_off_t announced = -1;
    curl_easy_getinfo(t.curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
    if (t.to_sink && announced >= 0 && static_cast<uint64_t>(announced) > t.max_bytes &&
        t.headers->count("content-encoding") == 0) {
      t.over_limit = true;
      return 0;  // aborts the transfer before anything reached the sink
    }
  }
  // The start of every body, for the error message should the status be one.
  if (t.error_body.size() <= kExcerptBytes)
    t.error_body.append(data, std::min(n, kExcerptBytes + 1));
  if (!t.to_sink) return n;
  if (t.delivered + n > t.max_bytes) {
    t.over_limit = true;
    return 0;
  }
  try {
    (*t.sink)(std::string_view(data, n));
  } catch (...) {
    t.sink_error = std::current_exception();
    return 0;
  }
  t.delivered += n;
  return n;
}

std::string Response::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

Client::Client(ClientOptions options) : options_(std::move(options)) {
  ensure_curl_global();
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
  if (options_.user_agent.empty())
    options_.user_agent = std::string("elastic-connectors-cpp/") + kVersion;
}

std::string Client::url_of(const Request& request) const {
  std::string url = is_absolute(request.path) ? request.path : options_.base_url;
  if (!is_absolute(request.path)) {
    if (request.path.empty() || request.path.front() != '/') url.push_back('/');
    url += request.path;
  }
  if (!request.query.empty()) {
    url += url.find('?') == std::string::npos ? "?" : "&";
    url += query_string(request.query, options_.aws_sigv4.has_value());
  }
  return url;
}

Client::Attempt Client::perform(const Request& request, const std::string& url, Transfer& transfer,
                                std::stop_token& stop) {
  auto handle = pool_.acquire();
  CURL* curl = handle->get();
  Attempt attempt;
  transfer.curl = curl;
  transfer.headers = &attempt.headers;
  transfer.started = false;
  transfer.error_body.clear();

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS,
                   1L);  // a key's "./" is part of it, and is signed as sent
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (!request.body.empty() || request.method == "PUT" || request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Transfer::write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &attempt.headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  if (transfer.accept_encoding) curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  Progress progress{&stop, options_.read_timeout};
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Progress::check);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &progress);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  apply_tls(curl, options_.tls);

  HeaderList headers;
  // No 100-continue round trip before a body. libcurl 7.88 would sign the empty
  // "Expect:" that turns it off, and S3 refuses the signature, so not when signing.
  if (!options_.aws_sigv4) headers.add("Expect:");
  if (!request.body.empty() && !has_header(request.headers, "content-type")) {
    headers.add("Content-Type: application/octet-stream");
  }
  for (const auto& [name, value] : options_.headers) {
    if (!has_header(request.headers, name)) headers.add(name + ": " + value);
  }
  for (const auto& [name, value] : request.headers) headers.add(name + ": " + value);
  std::string sigv4;
  if (!request.authorization.empty()) {
    headers.add("Authorization: " + request.authorization.reveal());
  } else if (options_.aws_sigv4) {
    const auto& aws = *options_.aws_sigv4;
    sigv4 = "aws:amz:" + aws.region + ":" + aws.service;
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERNAME, aws.access_key_id.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, aws.secret_access_key.reveal().c_str());
    if (!aws.session_token.empty())
      headers.add("x-amz-security-token: " + aws.session_token.reveal());
    // libcurl 7.88 signs the body's hash but does not send it; S3 then assumes
    // another and refuses the signature. Sent, libcurl signs the header's value
    // (so a caller's UNSIGNED-PAYLOAD works too).
    if (!has_header(request.headers, "x-amz-content-sha256")) {
      headers.add("x-amz-content-sha256: " + sha256_hex(request.body));
    }
  } else if (!options_.bearer_token.empty()) {
    headers.add("Authorization: Bearer " + options_.bearer_token.reveal());
  } else if (!options_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.reveal().c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  attempt.code = curl_easy_perform(curl);
  if (attempt.code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    attempt.status = static_cast<int>(status);
    pool_.release(std::move(handle));
  } else {
    // The handle is dropped with its connection, which may be broken or half read.
    attempt.failure = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(attempt.code);
    if (progress.idle) {
      attempt.code = CURLE_OPERATION_TIMEDOUT;
      attempt.failure = "nothing received for " + std::to_string(options_.read_timeout.count()) +
                        " ms (read timeout)";
    }
  }
  return attempt;
}

Client::Attempt Client::transfer_with_retries(const Request& request, Transfer& transfer,
                                              const std::function<void()>& restart,
                                              std::stop_token stop) {
  const std::string url = url_of(request);
  Backoff backoff(options_.retry);
  for (int attempt_number = 1;; ++attempt_number) {
    Attempt attempt = perform(request, url, transfer, stop);
    if (transfer.sink_error) std::rethrow_exception(transfer.sink_error);
    if (stop.stop_requested()) throw Cancelled();
    if (transfer.over_limit) return attempt;
    bool accepted = attempt.status != 0 && (is_success(attempt.status) ||
                                            std::find(request.accept.begin(), request.accept.end(),
                                                      attempt.status) != request.accept.end());
    if (accepted) return attempt;
    // A download whose sink already holds bytes cannot start again.
    bool restartable = restart || transfer.delivered == 0;
    bool retryable = restartable && (attempt.status != 0 ? is_retryable_status(attempt.status)
                                                         : !is_permanent_failure(attempt.code));
    if (!retryable || attempt_number > options_.retry.retry_count) {
      std::string detail = attempt.status != 0 ? excerpt(transfer.error_body) : attempt.failure;
      if (options_.aws_sigv4 && (attempt.status == 401 || attempt.status == 403)) {
        detail += " (signed with access key id " + options_.aws_sigv4->access_key_id + ")";
      }
      throw HttpError(request.method, display_url(url), attempt.status, detail, attempt_number,
                      attempt.code);
    }
    std::optional<std::chrono::milliseconds> retry_after;
    if (honours_retry_after(attempt.status)) {
      auto it = attempt.headers.find("retry-after");
      if (it != attempt.headers.end()) retry_after = parse_retry_after(it->second);
    }
    auto wait = backoff.delay(attempt_number, retry_after);
    spdlog::warn("{} {} failed ({}), retry {}/{} in {} ms", request.method, display_url(url),
                 attempt.status != 0 ? "HTTP " + std::to_string(attempt.status) : attempt.failure,
                 attempt_number, options_.retry.retry_count, wait.count());
    if (!sleep_for(wait, stop)) throw Cancelled();
    if (restart) restart();
  }
}

Response Client::send(const Request& request, std::stop_token stop) {
  Response response;
  Sink into_body = [&response](std::string_view chunk) { response.body.append(chunk); };
  Transfer transfer;
  transfer.sink = &into_body;
  transfer.max_bytes = options_.max_response_bytes;
  transfer.accept_encoding = true;
  auto restart = [&] {
    response.body.clear();
    transfer.delivered = 0;
  };
  Attempt attempt = transfer_with_retries(request, transfer, restart, stop);
  if (transfer.over_limit) {
    throw HttpError(request.method, display_url(url_of(request)), attempt.status,
                    "response body over " + std::to_string(options_.max_response_bytes) +
                        " bytes (send is for bounded answers; use download)",
                    1);
  }
  response.status = attempt.status;
  response.headers = std::move(attempt.headers);
  return response;
}

nlohmann::json Client::send_json(const Request& request, std::stop_token stop) {
  Response response = send(request, stop);
  auto doc = nlohmann::json::parse(response.body, nullptr, false);
  if (doc.is_discarded()) {
    throw HttpError(request.method, display_url(url_of(request)), response.status,
                    "the answer is not JSON: " + excerpt(response.body), 1);
  }
  return doc;
}

void Client::paginate(Request first,
                      const std::function<std::optional<Request>(const Response&)>& next_page,
                      std::stop_token stop) {
  std::optional<Request> request = std::move(first);
  while (request) {
    if (stop.stop_requested()) throw Cancelled();
    request = next_page(send(*request, stop));
  }
}

DownloadResult Client::download(const Request& request, const Sink& sink, uint64_t max_bytes,
                                std::stop_token stop) {
  Transfer transfer;
  transfer.sink = &sink;
  transfer.max_bytes = max_bytes;
  transfer.only_success = true;
  Attempt attempt = transfer_with_retries(request, transfer, nullptr, stop);
  DownloadResult result;
  result.status = attempt.status;
  result.headers = std::move(attempt.headers);
  result.bytes = transfer.delivered;
  result.over_limit = transfer.over_limit;
  return result;
}

}  // namespace connectors::http
