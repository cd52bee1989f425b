// The libmongoc client of the MongoDB source: the URI built as the framework
// builds its AsyncIOMotorClient (host is a full URI; user and password set
// only when either is given; directConnection; HEAD's TLS options), errors
// turned into SourceError / common::TransientError with the host redacted, and
// libmongoc's own log routed to spdlog. One Connection per source, used by
// one thread (a mongoc_client_t is not thread-safe).
#pragma once

#include <mongoc/mongoc.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace connectors::sources::mongodb {

struct ConnectionSettings {
  std::string host;  // mongodb:// or mongodb+srv:// URI, may embed credentials and options
  std::string user;
  Secret password;
  bool direct_connection = false;
  bool tls = false;           // ssl_enabled
  std::string ca_file;        // tlsCAFile; empty = the system's CAs
  bool tls_insecure = false;  // tlsInsecure
};

// `text` with the password of every mongodb:// URI in it replaced by ***
// ("mongodb://admin:***@db:27017/?tls=true").
std::string redact_uris(std::string text);

// HEAD's validate_config check: "ssl=" / "tls=" in the host's query that
// contradict ssl_enabled. "" when they agree, else the problem.
std::string tls_conflict(std::string_view host, bool ssl_enabled);

// Parses the host as libmongoc does; "" when valid, else libmongoc's message.
std::string uri_problem(const std::string& host);

class Connection {
 public:
  explicit Connection(ConnectionSettings settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  mongoc_client_t* client() { return client_; }

  // "host mongodb://127.0.0.1:27017/ (user 'admin')" — for messages, never the password.
  std::string describe() const;

  // Throws for a failed call: common::TransientError when trying again may help
  // (connection refused or lost, no server selectable, server shutting down),
  // SourceError otherwise (bad credentials, unauthorised, bad query). The
  // message is "mongodb: <what> failed on <describe()>: <libmongoc>".
  [[noreturn]] void fail(const std::string& what, const bson_error_t& error) const;

  // admin.command({ping: 1}).
  void ping();
  std::vector<std::string> database_names();
  std::vector<std::string> collection_names(const std::string& database);

 private:
  std::string clean(std::string text) const;  // redacted, password scrubbed

  ConnectionSettings settings_;
  mongoc_client_t* client_ = nullptr;
};

}  // namespace connectors::sources::mongodb
