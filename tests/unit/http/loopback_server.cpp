#include "loopback_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

namespace connectors::testing {
namespace {

// One connection's byte stream, plain or TLS.
class Stream {
 public:
  Stream(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  ~Stream() {
    if (ssl_ != nullptr) SSL_free(ssl_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  long read(char* buffer, size_t size) {
    return ssl_ != nullptr ? SSL_read(ssl_, buffer, static_cast<int>(size))
                           : ::recv(fd_, buffer, size, 0);
  }
  bool write(const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      long n = ssl_ != nullptr
                   ? SSL_write(ssl_, data.data() + sent, static_cast<int>(data.size() - sent))
                   : ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

 private:
  int fd_;
  SSL* ssl_;
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Reads one request from `stream` (buffered in `pending`); false at EOF or error.
bool read_request(Stream& stream, std::string& pending, ReceivedRequest& request) {
  char buffer[16384];
  size_t end;
  while ((end = pending.find("\r\n\r\n")) == std::string::npos) {
    long n = stream.read(buffer, sizeof buffer);
    if (n <= 0) return false;
    pending.append(buffer, static_cast<size_t>(n));
  }
  std::string head = pending.substr(0, end);
  pending.erase(0, end + 4);
  size_t line_end = head.find("\r\n");
  std::string line = head.substr(0, line_end);
  size_t space1 = line.find(' ');
  size_t space2 = line.rfind(' ');
  request.method = line.substr(0, space1);
  request.target = line.substr(space1 + 1, space2 - space1 - 1);
  size_t pos = line_end;
  while (pos != std::string::npos && pos < head.size()) {
    size_t next = head.find("\r\n", pos + 2);
    std::string header =
        head.substr(pos + 2, (next == std::string::npos ? head.size() : next) - pos - 2);
    size_t colon = header.find(':');
    if (colon != std::string::npos) {
      std::string value = header.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers[lower(header.substr(0, colon))] = value;
    }
    pos = next;
  }
  size_t length =
      request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
  while (pending.size() < length) {
    long n = stream.read(buffer, sizeof buffer);
    if (n <= 0) return false;
    pending.append(buffer, static_cast<size_t>(n));
  }
  request.body = pending.substr(0, length);
  pending.erase(0, length);
  return true;
}

std::string reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

Reply Reply::dropped() {
  Reply reply;
  reply.drop = true;
  return reply;
}

Reply Reply::delayed(std::chrono::milliseconds wait) {
  Reply reply;
  reply.delay = wait;
  return reply;
}

Reply Reply::unsized(std::string body) {
  Reply reply(200, {}, std::move(body));
  reply.no_length = true;
  return reply;
}

Reply Reply::stalled(std::string body, size_t announced) {
  Reply reply(200, {}, std::move(body));
  reply.announce_length = announced;
  return reply;
}

LoopbackServer::LoopbackServer(Handler handler, const std::string& cert_file,
                               const std::string& key_file)
    : handler_(std::move(handler)) {
  if (!cert_file.empty()) {
    tls_ = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(tls_, cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(tls_, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      SSL_CTX_free(tls_);
      throw std::runtime_error("cannot load " + cert_file + " / " + key_file);
    }
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    ::close(listen_fd_);
    if (tls_ != nullptr) SSL_CTX_free(tls_);
    throw std::runtime_error("cannot listen on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

LoopbackServer::~LoopbackServer() {
  {
    std::lock_guard lock(mutex_);  // a waiter between its check and its wait still wakes
    stopping_ = true;
  }
  stop_cv_.notify_all();
  acceptor_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    for (int fd : client_fds_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(threads_);
  }
  for (auto& thread : threads) thread.join();
  ::close(listen_fd_);
  if (tls_ != nullptr) SSL_CTX_free(tls_);
}

std::string LoopbackServer::url() const {
  return std::string(tls_ != nullptr ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::vector<ReceivedRequest> LoopbackServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool LoopbackServer::wait_or_stop(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !stop_cv_.wait_for(lock, duration, [this] { return stopping_.load(); });
}

void LoopbackServer::accept_loop() {
  while (!stopping_) {
    pollfd poll_fd{listen_fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, 50) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    int number = ++connections_;
    std::lock_guard lock(mutex_);
    client_fds_.push_back(fd);
    threads_.emplace_back([this, fd, number] { serve(fd, number); });
  }
}

void LoopbackServer::serve(int fd, int number) {
  SSL* ssl = nullptr;
  if (tls_ != nullptr) {
    ssl = SSL_new(tls_);
    SSL_set_fd(ssl, fd);
  }
  {
    Stream stream(fd, ssl);
    bool open = ssl == nullptr || SSL_accept(ssl) == 1;
    std::string pending;
    ReceivedRequest request;
    while (open && !stopping_ && read_request(stream, pending, request)) {
      request.connection = number;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      Reply reply = handler_(request);
      if (reply.delay.count() > 0 && !wait_or_stop(reply.delay)) break;
      if (reply.drop) break;
      std::string out =
          "HTTP/1.1 " + std::to_string(reply.status) + " " + reason(reply.status) + "\r\n";
      for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
      if (reply.no_length) {
        out += "Connection: close\r\n";
      } else {
        size_t length = reply.announce_length > 0 ? reply.announce_length : reply.body.size();
        out += "Content-Length: " + std::to_string(length) + "\r\n";
      }
      out += "\r\n";
      if (request.method != "HEAD") out += reply.body;
      if (!stream.write(out) || reply.no_length) break;
      if (reply.announce_length > 0) {
        wait_or_stop(std::chrono::minutes(5));  // stall: the client gives up first
        break;
      }
      request = ReceivedRequest();
    }
    if (ssl != nullptr) SSL_shutdown(ssl);
  }
  std::lock_guard lock(mutex_);
  client_fds_.erase(std::find(client_fds_.begin(), client_fds_.end(), fd));
  ::close(fd);
}

}  // namespace connectors::testing
