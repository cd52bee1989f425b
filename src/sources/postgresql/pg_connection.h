// One libpq connection of the PostgreSQL source, and the result sets it
// returns. Sessions are set up so that the server prints values the way the
// value conversion expects them (ISO dates, UTC, shortest exact floats, hex
// bytea). Failures become TransientError (worth a retry) or SourceError, with
// messages that name the host, port, user and database but never the
// password. A Connection is used by one thread; cancel() alone may be called
// from another thread.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sources/common/connection_support.h"

namespace connectors::sources::postgresql {

struct ConnectionSettings : common::Endpoint {
  ConnectionSettings() { port = 5432; }
  std::string ssl_root_cert;  // a CA file: sslmode=verify-full; empty: sslmode=prefer
};

// A result set. Values are the server's text output.
class Result {
 public:
  explicit Result(PGresult* result) : result_(result, &PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  int columns() const { return PQnfields(result_.get()); }
  std::string column_name(int column) const { return PQfname(result_.get(), column); }
  Oid column_type(int column) const { return PQftype(result_.get(), column); }
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string_view value(int row, int column) const {
    return {PQgetvalue(result_.get(), row, column),
            static_cast<size_t>(PQgetlength(result_.get(), row, column))};
  }
  std::optional<std::string> cell(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return std::string(value(row, column));
  }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

class Connection {
 public:
  // Connects; throws TransientError (refused, timed out, server starting) or
  // SourceError (authentication, unknown database, certificate).
  explicit Connection(const ConnectionSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement and returns its rows (a command returns none).
  // `what` names the statement in error messages ("listing the tables").
  Result run(const std::string& sql, std::string_view what);

  // SQL quoting of a string literal.
  std::string literal(std::string_view text);

  // Asks the server to stop the running statement; safe from another thread.
  void cancel();

  // The SQLSTATE of the last failed run(), e.g. "42P01"; empty if none.
  const std::string& last_sqlstate() const { return last_sqlstate_; }

 private:
  ConnectionSettings settings_;
  PGconn* conn_ = nullptr;
  PGcancel* cancel_ = nullptr;
  std::string last_sqlstate_;
};

}  // namespace connectors::sources::postgresql
