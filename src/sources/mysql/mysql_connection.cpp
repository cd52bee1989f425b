#include "sources/mysql/mysql_connection.h"

#include <errmsg.h>
#include <fmt/format.h>

#include <cstdlib>
#include <mutex>

#include "sources/common/connection_support.h"

namespace connectors::sources::mysql {
namespace {

using sql::Kind;
using sql::Value;

constexpr unsigned int kBinaryCharset = 63;

// mysql_library_init is not thread-safe: the first connection of the process does it.
void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

Value text_or_bytes(std::string text, const Column& column) {
  return Value::of(column.charset == kBinaryCharset ? Kind::kBytes : Kind::kText, std::move(text));
}

}  // namespace

bool transient_error(unsigned int code) {
  switch (code) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case 2055:  // lost connection at reading/writing
    case 1040:  // too many connections
    case 1053:  // server shutdown in progress
    case 1203:  // too many connections for the user
    case 1205:  // lock wait timeout
    case 1213:  // deadlock
    case 1927:  // connection killed (MariaDB)
    case 4031:  // disconnected by the server for inactivity (MySQL 8)
      return true;
    default:
      return false;
  }
}

Value convert(const char* data, unsigned long length, const Column& column) {
  if (data == nullptr) return Value::null();
  std::string text(data, length);
  switch (column.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
      return Value::of(Kind::kInteger, std::move(text));
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      return Value::of(Kind::kDecimal, std::move(text));
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
      return Value::of_float(std::strtod(text.c_str(), nullptr));
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE: {
      auto iso = sql::iso_date(text);  // zero dates stay the server's text, as pymysql leaves them
      return iso ? Value::of(Kind::kDate, std::move(*iso)) : Value::of(Kind::kRaw, std::move(text));
    }
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP: {
      auto iso = sql::iso_datetime(text);
      return iso ? Value::of(Kind::kDateTime, std::move(*iso))
                 : Value::of(Kind::kRaw, std::move(text));
    }
    case MYSQL_TYPE_TIME:
      return Value::of(Kind::kRaw, std::move(text));  // pymysql: timedelta
    case MYSQL_TYPE_JSON:
      return Value::of(Kind::kText, std::move(text));
    case MYSQL_TYPE_BIT:
      return Value::of(Kind::kBits, std::move(text));
    case MYSQL_TYPE_NULL:
      return Value::null();
    default:
      return text_or_bytes(std::move(text), column);
  }
}

Connection::Connection(const ConnectionSettings& settings) : settings_(settings) {
  init_library();
  conn_ = mysql_init(nullptr);
  if (conn_ == nullptr) throw SourceError("mysql: out of memory while connecting");
  unsigned int protocol = MYSQL_PROTOCOL_TCP;
  unsigned int connect_timeout = 30;
  unsigned int read_timeout = 3600;  // a slow first row of a big custom query is fine
  mysql_optionsv(conn_, MYSQL_OPT_PROTOCOL, &protocol);
  mysql_optionsv(conn_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_optionsv(conn_, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_optionsv(conn_, MYSQL_OPT_WRITE_TIMEOUT, &read_timeout);
  mysql_optionsv(conn_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (!settings.ssl_ca.empty()) {
    my_bool verify = 1;
    mysql_optionsv(conn_, MYSQL_OPT_SSL_CA, settings.ssl_ca.c_str());
    mysql_optionsv(conn_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  if (mysql_real_connect(conn_, settings.host.c_str(), settings.user.c_str(),
                         settings.password.reveal().c_str(),
                         settings.database.empty() ? nullptr : settings.database.c_str(),
                         static_cast<unsigned int>(settings.port), nullptr, 0) == nullptr) {
    unsigned int code = mysql_errno(conn_);
    std::string reason = common::scrub(mysql_error(conn_), settings.password.reveal());
    mysql_close(conn_);
    conn_ = nullptr;
    std::string message = fmt::format("mysql: Can't connect to MySQL on {} ({}): {} (error {})",
                                      settings.host, common::describe(settings), reason, code);
    if (transient_error(code)) throw common::TransientError(message);
    throw ServerError(message, code);
  }
  // Rows are read as the engine takes documents: give a paused reader an hour
  // before the server drops the connection (net_write_timeout is 60 s).
  // TIMESTAMP values in UTC: sent without a zone, as the framework sends them,
  // they are read as UTC by Elasticsearch, which the server's zone may not be.
  if (mysql_query(conn_, "SET SESSION net_write_timeout = 3600, time_zone = '+00:00'") != 0)
    fail("setting up the session");
}

Connection::~Connection() {
  if (conn_ != nullptr) mysql_close(conn_);
}

void Connection::fail(std::string_view what) {
  unsigned int code = mysql_errno(conn_);
  std::string reason = common::scrub(mysql_error(conn_), settings_.password.reveal());
  std::string message = fmt::format("mysql: {} failed on {}: {} (error {})", what,
                                    common::describe(settings_), reason, code);
  if (transient_error(code)) throw common::TransientError(message);
  throw ServerError(message, code);
}

Rows Connection::rows(const std::string& sql, std::string_view what) {
  if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) fail(what);
  MYSQL_RES* result = mysql_store_result(conn_);
  Rows out;
  if (result == nullptr) {
    if (mysql_field_count(conn_) != 0) fail(what);
    return out;
  }
  unsigned int columns = mysql_num_fields(result);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    unsigned long* lengths = mysql_fetch_lengths(result);
    std::vector<std::optional<std::string>> cells;
    for (unsigned int i = 0; i < columns; ++i) {
      if (row[i] == nullptr) {
        cells.emplace_back(std::nullopt);
      } else {
        cells.emplace_back(std::string(row[i], lengths[i]));
      }
    }
    out.push_back(std::move(cells));
  }
  mysql_free_result(result);
  return out;
}

void Connection::stream(const std::string& sql, std::string_view what,
                        const std::function<void(const std::vector<Column>&)>& on_columns,
                        const std::function<bool(MYSQL_ROW, const unsigned long*)>& on_row) {
  if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) fail(what);
  MYSQL_RES* result = mysql_use_result(conn_);
  if (result == nullptr) {
    if (mysql_field_count(conn_) != 0) fail(what);
    on_columns({});
    return;
  }
  // Freeing a result that was not read to the end reads every remaining row
  // first: cut the connection instead (it is not used again).
  struct Release {
    Connection* self;
    MYSQL_RES* result;
    bool read_to_end = false;
    ~Release() {
      if (!read_to_end) {
        mariadb_cancel(self->conn_);
        self->broken_ = true;
      }
      mysql_free_result(result);
    }
  } release{this, result};
  unsigned int count = mysql_num_fields(result);
  MYSQL_FIELD* fields = mysql_fetch_fields(result);
  std::vector<Column> columns;
  for (unsigned int i = 0; i < count; ++i) {
    columns.push_back(
        {std::string(fields[i].name, fields[i].name_length), fields[i].type, fields[i].charsetnr});
  }
  on_columns(columns);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    if (!on_row(row, mysql_fetch_lengths(result))) return;
  }
  if (mysql_errno(conn_) != 0) fail(what);
  release.read_to_end = true;
}

void Connection::ping() {
  if (mysql_ping(conn_) != 0) fail("ping");
}

std::string Connection::literal(std::string_view text) {
  std::string out(text.size() * 2 + 1, '\0');
  unsigned long n = mysql_real_escape_string(conn_, out.data(), text.data(), text.size());
  out.resize(n);
  return "'" + out + "'";
}

void Connection::abort() {
  mariadb_cancel(conn_);
  broken_ = true;
}

}  // namespace connectors::sources::mysql
