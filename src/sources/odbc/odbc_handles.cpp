#include "sources/odbc/odbc_handles.h"

#include <fmt/format.h>

#include <cstring>

namespace connectors::sources::odbc {
namespace {

bool ok(SQLRETURN rc) { return rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO; }

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Driver messages of a login the server refused: another attempt will not help.
bool refused_login(std::string_view message) {
  for (std::string_view marker :
       {"authentication failed", "Login failed", "Access denied", "no pg_hba.conf entry",
        "Unknown database", "invalid username/password"}) {
    if (message.find(marker) != std::string_view::npos) return true;
  }
  // PostgreSQL's `database "x" does not exist` (FreeTDS says "... unavailable or does not
  // exist" of a server that may come back).
  return message.find("database \"") != std::string_view::npos &&
         message.find("does not exist") != std::string_view::npos;
}

// Sets a connection attribute that a driver may not support (then ignored).
void try_set(SQLHDBC dbc, SQLINTEGER attribute, SQLULEN value) {
  SQLSetConnectAttr(dbc, attribute, reinterpret_cast<SQLPOINTER>(value), SQL_IS_UINTEGER);
}

}  // namespace

namespace {

// Decodes `units` code units, `unit(i)` giving the i-th.
template <class Unit>
std::string decode_utf16(size_t units, Unit unit) {
  // ASCII first, written straight into the string: most text is.
  size_t ascii = 0;
  while (ascii < units && unit(ascii) < 0x80) ++ascii;
  std::string out(ascii, '\0');
  for (size_t i = 0; i < ascii; ++i) out[i] = static_cast<char>(unit(i));
  if (ascii == units) return out;
  out.reserve(ascii + (units - ascii) * 3);
  for (size_t i = ascii; i < units; ++i) {
    char32_t u = unit(i);
    if (u < 0x80) {
      out += static_cast<char>(u);
      continue;
    }
    char32_t next = i + 1 < units ? unit(i + 1) : 0;
    if (u >= 0xD800 && u <= 0xDBFF && next >= 0xDC00 && next <= 0xDFFF) {
      append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (next - 0xDC00));
      ++i;
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      append_utf8(out, 0xFFFD);
    } else {
      append_utf8(out, u);
    }
  }
  return out;
}

}  // namespace

std::string utf8_from_utf16(const SQLWCHAR* text, size_t units) {
  return decode_utf16(units, [text](size_t i) { return text[i]; });
}

std::string utf8_from_utf16_bytes(std::string_view bytes) {
  const char* data = bytes.data();
  return decode_utf16(bytes.size() / sizeof(SQLWCHAR), [data](size_t i) {
    SQLWCHAR unit;
    std::memcpy(&unit, data + i * sizeof(SQLWCHAR), sizeof unit);
    return unit;
  });
}

std::vector<Diagnostic> diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle) {
  std::vector<Diagnostic> out;
  for (SQLSMALLINT record = 1; record <= 20; ++record) {
    SQLCHAR state[SQL_SQLSTATE_SIZE + 1] = {};
    SQLINTEGER native = 0;
    SQLCHAR message[2048] = {};
    SQLSMALLINT length = 0;
    SQLRETURN rc = SQLGetDiagRec(handle_type, handle, record, state, &native, message,
                                 sizeof message, &length);
    if (!ok(rc)) break;
    Diagnostic d;
    d.state = reinterpret_cast<const char*>(state);
    d.native = native;
    d.message = reinterpret_cast<const char*>(message);
    while (!d.message.empty() && (d.message.back() == '\n' || d.message.back() == ' '))
      d.message.pop_back();
    out.push_back(std::move(d));
  }
  return out;
}

std::string describe(const std::vector<Diagnostic>& records) {
  if (records.empty()) return "the driver gave no diagnostic";
  std::string out;
  for (const auto& r : records) {
    if (!out.empty()) out += "; ";
    out += fmt::format("[{}] {}", r.state, r.message);
    if (r.native != 0) out += fmt::format(" (native {})", r.native);
  }
  return out;
}

bool transient_state(std::string_view state) {
  return state.starts_with("08") || state == "HYT00" || state == "HYT01" || state == "40001" ||
         state == "40P01" || state == "HY000" || state == "S1T00";
}

void fail(SQLSMALLINT handle_type, SQLHANDLE handle, std::string_view what, std::string_view where,
          std::string_view secret, bool mid_stream) {
  auto records = diagnostics(handle_type, handle);
  std::string message =
      common::scrub(fmt::format("{} failed ({}): {}", what, where, describe(records)), secret);
  std::string state = records.empty() ? "" : records.front().state;
  // HY000 is a driver's catch-all: transient only once rows are flowing (a
  // broken stream); before that it is usually a SQL error.
  bool transient = mid_stream || (transient_state(state) && state != "HY000");
  if (transient) throw common::TransientError(message);
  throw Error(message, state);
}

Environment::Environment() {
  if (!ok(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env_))) {
    throw SourceError("odbc: cannot allocate an ODBC environment (is unixODBC installed?)");
  }
  SQLSetEnvAttr(env_, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
}

Environment::~Environment() { SQLFreeHandle(SQL_HANDLE_ENV, env_); }

std::vector<std::string> Environment::drivers() const {
  std::vector<std::string> out;
  SQLCHAR name[512];
  SQLCHAR attributes[2048];
  SQLSMALLINT name_length = 0;
  SQLSMALLINT attributes_length = 0;
  SQLUSMALLINT direction = SQL_FETCH_FIRST;
  while (ok(SQLDrivers(env_, direction, name, sizeof name, &name_length, attributes,
                       sizeof attributes, &attributes_length))) {
    out.emplace_back(reinterpret_cast<const char*>(name));
    direction = SQL_FETCH_NEXT;
  }
  return out;
}

Connection::Connection(Environment& env, const ConnectionString& connection, std::string where,
                       std::string secret, Timeouts timeouts)
    : where_(std::move(where)), secret_(std::move(secret)), timeouts_(timeouts) {
  if (!ok(SQLAllocHandle(SQL_HANDLE_DBC, env.handle(), &dbc_))) {
    fail(SQL_HANDLE_ENV, env.handle(), "allocating an ODBC connection", where_, secret_);
  }
  try_set(dbc_, SQL_ATTR_LOGIN_TIMEOUT, static_cast<SQLULEN>(timeouts_.login.count()));
  try_set(dbc_, SQL_ATTR_CONNECTION_TIMEOUT, static_cast<SQLULEN>(timeouts_.network.count()));
  std::string text = connection.text();
  SQLCHAR out[1024];
  SQLSMALLINT out_length = 0;
  SQLRETURN rc = SQLDriverConnect(dbc_, nullptr, reinterpret_cast<SQLCHAR*>(text.data()),
                                  static_cast<SQLSMALLINT>(text.size()), out, sizeof out,
                                  &out_length, SQL_DRIVER_NOPROMPT);
  std::memset(text.data(), 0, text.size());
  if (!ok(rc)) {
    auto records = diagnostics(SQL_HANDLE_DBC, dbc_);
    std::string state = records.empty() ? "" : records.front().state;
    std::string message = common::scrub(fmt::format("connecting to {} with {} failed: {}", where_,
                                                    connection.masked(), describe(records)),
                                        secret_);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
    dbc_ = SQL_NULL_HDBC;
    // 28000: the login was refused; IM0xx: the driver manager could not load the driver.
    // Some drivers (psqlODBC) report a refused login as 08001 too: their text tells.
    if ((state.starts_with("08") || state == "HYT00" || state == "HYT01") &&
        !refused_login(message)) {
      throw common::TransientError(message);
    }
    throw Error(message, state);
  }
  connected_ = true;
  SQLUINTEGER extensions = 0;
  if (ok(SQLGetInfo(dbc_, SQL_GETDATA_EXTENSIONS, &extensions, sizeof extensions, nullptr))) {
    get_data_block_ = (extensions & SQL_GD_BLOCK) != 0;
    get_data_any_column_ = (extensions & SQL_GD_ANY_COLUMN) != 0;
  }
  SQLCHAR dbms[256] = {};
  SQLSMALLINT dbms_length = 0;
  if (ok(SQLGetInfo(dbc_, SQL_DBMS_NAME, dbms, sizeof dbms, &dbms_length))) {
    dbms_ = reinterpret_cast<const char*>(dbms);
  }
}

Connection::~Connection() {
  if (dbc_ == SQL_NULL_HDBC) return;
  if (connected_) SQLDisconnect(dbc_);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
}

Statement::Statement(Connection& connection) : connection_(connection) {
  if (!ok(SQLAllocHandle(SQL_HANDLE_STMT, connection.handle(), &stmt_))) {
    odbc::fail(SQL_HANDLE_DBC, connection.handle(), "allocating an ODBC statement",
               connection.where(), connection.secret());
  }
  if (connection.timeouts().query.count() > 0) {
    SQLSetStmtAttr(
        stmt_, SQL_ATTR_QUERY_TIMEOUT,
        reinterpret_cast<SQLPOINTER>(static_cast<SQLULEN>(connection.timeouts().query.count())),
        SQL_IS_UINTEGER);
  }
}

Statement::~Statement() { SQLFreeHandle(SQL_HANDLE_STMT, stmt_); }

void Statement::fail(std::string_view what, bool mid_stream) const {
  odbc::fail(SQL_HANDLE_STMT, stmt_, what, connection_.where(), connection_.secret(), mid_stream);
}

void Statement::execute(const std::string& sql, std::string_view what) {
  SQLFreeStmt(stmt_, SQL_CLOSE);
  SQLFreeStmt(stmt_, SQL_UNBIND);
  SQLRETURN rc = SQLExecDirect(stmt_, reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.c_str())),
                               static_cast<SQLINTEGER>(sql.size()));
  if (!ok(rc) && rc != SQL_NO_DATA) fail(what);
}

std::vector<std::string> Statement::first_column(std::string_view what) {
  std::vector<std::string> out;
  while (true) {
    SQLRETURN rc = SQLFetch(stmt_);
    if (rc == SQL_NO_DATA) break;
    if (!ok(rc)) fail(what, true);
    std::u16string text;
    SQLWCHAR chunk[1024];
    SQLLEN indicator = 0;
    bool null = false;
    while (true) {
      rc = SQLGetData(stmt_, 1, SQL_C_WCHAR, chunk, sizeof chunk, &indicator);
      if (rc == SQL_NO_DATA) break;
      if (!ok(rc)) fail(what, true);
      if (indicator == SQL_NULL_DATA) {
        null = true;
        break;
      }
      size_t units = indicator == SQL_NO_TOTAL || indicator >= static_cast<SQLLEN>(sizeof chunk)
                         ? sizeof chunk / sizeof(SQLWCHAR) - 1
                         : static_cast<size_t>(indicator) / sizeof(SQLWCHAR);
      text.append(reinterpret_cast<const char16_t*>(chunk), units);
      if (rc == SQL_SUCCESS) break;
    }
    if (!null) {
      out.push_back(utf8_from_utf16(reinterpret_cast<const SQLWCHAR*>(text.data()), text.size()));
    }
  }
  SQLFreeStmt(stmt_, SQL_CLOSE);
  return out;
}

void Statement::cancel() { SQLCancel(stmt_); }

}  // namespace connectors::sources::odbc
