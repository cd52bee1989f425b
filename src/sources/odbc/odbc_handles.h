// unixODBC handles as RAII types: the environment, a connection, a statement;
// the driver's diagnostics (SQLSTATE, native code, message) and the drivers
// the driver manager knows (odbcinst.ini, through SQLDrivers). Failures become
// common::TransientError (worth another attempt on a fresh connection) or
// odbc::Error (final), with messages that say what was being done and where,
// never the password. A handle is used by one thread; Statement::cancel()
// alone may be called from another thread.
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.h"
#include "sources/common/connection_support.h"
#include "sources/odbc/connection_string.h"

namespace connectors::sources::odbc {

struct Diagnostic {
  std::string state;  // SQLSTATE, five characters
  long native = 0;    // the driver's or server's own error number
  std::string message;
};

// The diagnostic records of a handle, in order.
std::vector<Diagnostic> diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle);

// "[08001] Unable to connect ... (native 20009); [...] ..." for messages.
std::string describe(const std::vector<Diagnostic>& records);

// SQLSTATEs another attempt on a fresh connection may cure: connection
// exceptions (08xxx), timeouts (HYT00, HYT01), serialization failures and
// deadlocks (40001, 40P01), communication link failure, a general error while
// reading a result (the driver lost track of the stream: never reuse it).
bool transient_state(std::string_view state);

// A final ODBC failure, with the SQLSTATE of its first record.
class Error : public SourceError {
 public:
  Error(const std::string& message, std::string state) : SourceError(message), state_(state) {}
  const std::string& state() const { return state_; }

 private:
  std::string state_;
};

// Throws TransientError or Error for a failed call on `handle`: "<what> failed
// (<where>): <diagnostics>", with `secret` scrubbed from the driver's text.
// `mid_stream`: a failure while reading rows is always transient (the
// connection is dropped and the read starts over).
[[noreturn]] void fail(SQLSMALLINT handle_type, SQLHANDLE handle, std::string_view what,
                       std::string_view where, std::string_view secret, bool mid_stream = false);

struct Timeouts {
  std::chrono::seconds login{30};    // SQL_ATTR_LOGIN_TIMEOUT: connecting and logging in
  std::chrono::seconds network{60};  // SQL_ATTR_CONNECTION_TIMEOUT: any other request
  std::chrono::seconds query{0};     // SQL_ATTR_QUERY_TIMEOUT; 0 = none
};

class Environment {
 public:
  Environment();  // ODBC 3
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  SQLHENV handle() const { return env_; }

  // The drivers of odbcinst.ini ("FreeTDS", "PostgreSQL Unicode", ...).
  std::vector<std::string> drivers() const;

 private:
  SQLHENV env_ = SQL_NULL_HENV;
};

class Connection {
 public:
  // Connects with SQLDriverConnect. `where` names the endpoint in messages
  // (host, port, user, database); `secret` is scrubbed from driver messages.
  Connection(Environment& env, const ConnectionString& connection, std::string where,
             std::string secret, Timeouts timeouts = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  SQLHDBC handle() const { return dbc_; }
  const std::string& where() const { return where_; }
  const std::string& secret() const { return secret_; }
  const Timeouts& timeouts() const { return timeouts_; }

  // SQLGetInfo(SQL_GETDATA_EXTENSIONS) has SQL_GD_BLOCK: SQLGetData works on
  // any row of a rowset once SQLSetPos positioned the cursor there.
  bool get_data_in_blocks() const { return get_data_block_; }
  // SQL_GD_ANY_COLUMN: unbound columns may come before bound ones.
  bool get_data_any_column() const { return get_data_any_column_; }
  const std::string& dbms() const { return dbms_; }

 private:
  SQLHDBC dbc_ = SQL_NULL_HDBC;
  bool connected_ = false;
  std::string where_;
  std::string secret_;
  Timeouts timeouts_;
  bool get_data_block_ = false;
  bool get_data_any_column_ = false;
  std::string dbms_;
};

class Statement {
 public:
  explicit Statement(Connection& connection);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  SQLHSTMT handle() const { return stmt_; }
  Connection& connection() const { return connection_; }

  // SQLExecDirect; `what` names the statement in messages ("listing the tables").
  void execute(const std::string& sql, std::string_view what);

  // Every row's first column as text (NULLs left out): catalog queries.
  std::vector<std::string> first_column(std::string_view what);

  // Asks the driver to stop the running call; safe from another thread.
  void cancel();

  // Throws for the last failed call on this statement.
  [[noreturn]] void fail(std::string_view what, bool mid_stream = false) const;

 private:
  Connection& connection_;
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
};

// UTF-16 (SQLWCHAR, as unixODBC passes it) to UTF-8; unpaired surrogates become U+FFFD.
std::string utf8_from_utf16(const SQLWCHAR* text, size_t units);
// The same from the bytes of a buffer (any alignment; an odd last byte is ignored).
std::string utf8_from_utf16_bytes(std::string_view bytes);

}  // namespace connectors::sources::odbc
