// A scripted HTTP/1.1 server on 127.0.0.1 for the http::Client tests: every
// request goes to the test's handler, which says what to answer (status,
// headers, body, a delay, a stall, a dropped connection). It counts the TCP
// connections it accepted (keep-alive shows as one) and records the requests.
// Optionally TLS (OpenSSL) with a certificate and key from files.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace connectors::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;  // as on the request line: /path?query, or an absolute URL through a proxy
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  int connection = 0;  // 1-based number of the connection it came on
};

struct Reply {
  Reply(int status_code = 200, std::vector<std::pair<std::string, std::string>> header_list = {},
        std::string body_text = "")
      : status(status_code), headers(std::move(header_list)), body(std::move(body_text)) {}
  static Reply dropped();                                    // no answer at all
  static Reply delayed(std::chrono::milliseconds wait);      // 200 after `wait`
  static Reply unsized(std::string body);                    // no Content-Length, closes after
  static Reply stalled(std::string body, size_t announced);  // sends `body`, then nothing

  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // before answering
  bool drop = false;                   // close the connection without answering
  bool no_length = false;  // no Content-Length: the body ends when the connection closes
  // Announce this Content-Length (more than the body) and then hold the
  // connection open without sending the rest.
  size_t announce_length = 0;
};

class LoopbackServer {
 public:
  using Handler = std::function<Reply(const ReceivedRequest&)>;

  // With cert_file/key_file the server speaks TLS.
  explicit LoopbackServer(Handler handler, const std::string& cert_file = "",
                          const std::string& key_file = "");
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // http(s)://127.0.0.1:PORT
  int connections() const { return connections_.load(); }
  std::vector<ReceivedRequest> requests() const;

 private:
  void accept_loop();
  void serve(int fd, int number);
  bool wait_or_stop(std::chrono::milliseconds duration);

  Handler handler_;
  SSL_CTX* tls_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  std::vector<ReceivedRequest> requests_;  // guarded by mutex_
  std::vector<int> client_fds_;            // guarded by mutex_
  std::vector<std::thread> threads_;       // guarded by mutex_
  std::thread acceptor_;
};

}  // namespace connectors::testing
