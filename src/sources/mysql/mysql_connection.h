// One MariaDB Connector/C connection of the MySQL source. Results are read
// unbuffered (mysql_use_result, the equivalent of aiomysql's SSCursor): rows
// come off the socket as they are consumed, so no table is held in memory.
// Failures become TransientError (worth a retry) or SourceError, with
// messages that name the host, port, user and database but never the
// password. A Connection is used by one thread; abort() alone may be called
// from another thread.
#pragma once

#include <mysql.h>

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.h"
#include "sources/common/connection_support.h"
#include "sources/sql/values.h"

namespace connectors::sources::mysql {

struct ConnectionSettings : common::Endpoint {
  ConnectionSettings() { port = 3306; }
  std::string ssl_ca;  // a CA file: TLS with the server certificate verified; empty: no TLS
};

struct Column {
  std::string name;
  enum_field_types type = MYSQL_TYPE_NULL;
  unsigned int charset = 0;  // 63 = binary
};

// The value aiomysql (pymysql) returns for one cell, as a sql::Value.
sql::Value convert(const char* data, unsigned long length, const Column& column);

using Rows = std::vector<std::vector<std::optional<std::string>>>;

// A final (not transient) failure, with the client or server error number
// (1045 access denied, 1049 unknown database, 1146 no such table, ...).
class ServerError : public SourceError {
 public:
  ServerError(const std::string& message, unsigned int code) : SourceError(message), code_(code) {}
  unsigned int code() const { return code_; }

 private:
  unsigned int code_;
};

// Error numbers another attempt may cure (connection lost or refused, server
// shutting down, too many connections, deadlock, lock wait timeout).
bool transient_error(unsigned int code);

class Connection {
 public:
  // Connects over TCP (also for "localhost", as aiomysql does) and selects the
  // database. Throws common::TransientError or ServerError.
  explicit Connection(const ConnectionSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A small query, read whole.
  Rows rows(const std::string& sql, std::string_view what);

  // Streams a query: `on_columns` once, then `on_row` per row (values are
  // nullptr for NULL) until it returns false or the rows end.
  void stream(const std::string& sql, std::string_view what,
              const std::function<void(const std::vector<Column>&)>& on_columns,
              const std::function<bool(MYSQL_ROW, const unsigned long*)>& on_row);

  void ping();

  // 'text' as a SQL string literal.
  std::string literal(std::string_view text);

  // Makes every pending and later read or write fail at once; safe from another thread.
  void abort();

  // False once a stream stopped before its end or abort() was called: the
  // connection must be dropped.
  bool usable() const { return !broken_; }

 private:
  [[noreturn]] void fail(std::string_view what);

  ConnectionSettings settings_;
  MYSQL* conn_ = nullptr;
  std::atomic<bool> broken_{false};
};

}  // namespace connectors::sources::mysql
