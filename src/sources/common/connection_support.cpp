#include "sources/common/connection_support.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>

namespace connectors::sources::common {

std::string describe(const Endpoint& s) {
  return fmt::format("{}:{}, user '{}', database '{}'", s.host, s.port, s.user, s.database);
}

void with_retries(int attempts, std::stop_token stop, const std::function<void()>& step,
                  const std::function<void()>& reset, std::chrono::milliseconds base) {
  if (attempts < 1) attempts = 1;
  for (int attempt = 1;; ++attempt) {
    if (stop.stop_requested()) throw Cancelled();
    try {
      step();
      return;
    } catch (const TransientError& e) {
      if (attempt >= attempts) {
        throw SourceError(std::string(e.what()) + " (after " + std::to_string(attempt) +
                          (attempt == 1 ? " attempt)" : " attempts)"));
      }
      auto wait = base * (1LL << attempt);
      spdlog::warn("Retry count: {} out of {}. Exception: {}; retrying in {} s", attempt, attempts,
                   e.what(), std::chrono::duration<double>(wait).count());
      reset();
      std::mutex mutex;
      std::condition_variable_any wake;
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, wait, [] { return false; });
      if (stop.stop_requested()) throw Cancelled();
    }
  }
}

std::string pem_format(std::string_view key) {
  // Trimmed first: with a trailing newline the framework's version would break
  // the END line ("-----END\nCERTIFICATE----- ").
  auto start = key.find_first_not_of(" \t\r\n");
  auto end = key.find_last_not_of(" \t\r\n");
  std::string text(start == std::string_view::npos ? "" : key.substr(start, end - start + 1));
  for (auto& c : text) {
    if (c == ' ') c = '\n';
  }
  // " ".join(key.split("\n", 1)), then " ".join(key.rsplit("\n", 1)).
  if (auto first = text.find('\n'); first != std::string::npos) text[first] = ' ';
  if (auto last = text.rfind('\n'); last != std::string::npos) text[last] = ' ';
  return text;
}

std::string scrub(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

CertificateFile::CertificateFile(std::string_view pem) {
  const char* dir = std::getenv("TMPDIR");
  std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/connectors-ca-XXXXXX";
  int fd = ::mkstemp(pattern.data());  // creates the file with mode 0600
  if (fd < 0) throw SourceError("cannot create a temporary file for the SSL certificate");
  path_ = pattern;
  size_t written = 0;
  while (written < pem.size()) {
    ssize_t n = ::write(fd, pem.data() + written, pem.size() - written);
    if (n <= 0) {
      ::close(fd);
      ::unlink(path_.c_str());
      throw SourceError("cannot write the SSL certificate to " + path_);
    }
    written += static_cast<size_t>(n);
  }
  ::close(fd);
}

CertificateFile::~CertificateFile() { ::unlink(path_.c_str()); }

}  // namespace connectors::sources::common
