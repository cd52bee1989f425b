// What the database clients share around their connections: where and as whom they
// connect, the retry loop of the framework's generic database engine, the PEM
// clean-up of certificates pasted into a one-line text box, and the
// certificate's temporary file for client libraries that only read CA files.
// Not thread-safe; one per source.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/errors.h"
#include "core/secret.h"

namespace connectors::sources::common {

// Where and as whom a SQL client connects; each client adds its TLS setting
// and its default port.
struct Endpoint {
  std::string host;
  long long port = 0;
  std::string user;
  Secret password;
  std::string database;
};

// "127.0.0.1:3306, user 'root', database 'customerinfo'" — for messages.
std::string describe(const Endpoint& endpoint);

// A failure worth trying again (connection lost or refused, server starting or
// shutting down, deadlock, too many connections). Every other SourceError is
// final: bad credentials, missing tables, SQL errors.
class TransientError : public SourceError {
 public:
  using SourceError::SourceError;
};

// Runs `step` up to max(attempts, 1) times while it throws TransientError,
// sleeping 2^n seconds after the n-th failure (generic_database@8.8: with the
// default 3, sleeps of 2 s and 4 s) and calling `reset` (drop the connection)
// before the next attempt. The last failure is rethrown as a SourceError that
// says how many attempts were made. The sleeps end early with Cancelled when
// `stop` is requested. A step that already emitted documents starts over, as
// in the framework: the same ids are sent again.
void with_retries(int attempts, std::stop_token stop, const std::function<void()>& step,
                  const std::function<void()>& reset,
                  std::chrono::milliseconds base = std::chrono::milliseconds(1000));

// utils.get_pem_format(key, max_split=1): a certificate pasted on one line
// (spaces instead of newlines) gets its line breaks back; a PEM that already
// has them is unchanged.
std::string pem_format(std::string_view key);

// `text` with every occurrence of `secret` replaced by ***, for error messages
// built from a client library's text.
std::string scrub(std::string text, std::string_view secret);

// A PEM written to a private temporary file (mode 0600), removed on destruction.
class CertificateFile {
 public:
  explicit CertificateFile(std::string_view pem);
  ~CertificateFile();
  CertificateFile(const CertificateFile&) = delete;
  CertificateFile& operator=(const CertificateFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace connectors::sources::common
