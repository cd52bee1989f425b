#include "sources/postgresql/pg_connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/errors.h"
#include "core/text.h"
#include "sources/common/connection_support.h"

namespace connectors::sources::postgresql {
namespace {

// Connection failures that another attempt will not cure.
bool permanent_connect_failure(std::string_view message) {
  for (std::string_view marker :
       {"authentication failed", "no pg_hba.conf entry", "does not exist", "permission denied",
        "SSL", "certificate", "password", "invalid", "not supported", "unsupported"}) {
    if (message.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

// SQLSTATEs of failures that can pass: connection exceptions, serialization
// failures and deadlocks, insufficient resources, operator intervention
// (shutdown, starting up), system errors.
bool transient_sqlstate(std::string_view state) {
  return state.starts_with("08") || state == "40001" || state == "40P01" ||
         state.starts_with("53") || state == "57P01" || state == "57P02" || state == "57P03" ||
         state.starts_with("58");
}

void quiet_notices(void*, const char* message) {
  spdlog::debug("postgresql: server notice: {}", fold_spaces(message));
}

}  // namespace

Connection::Connection(const ConnectionSettings& settings) : settings_(settings) {
  std::string port = std::to_string(settings.port);
  std::string sslmode = settings.ssl_root_cert.empty() ? "prefer" : "verify-full";
  // The session prints values the way the conversion reads them (see pg_values.h).
  const char* options =
      "-c DateStyle=ISO,YMD -c TimeZone=UTC -c IntervalStyle=postgres -c extra_float_digits=1 "
      "-c bytea_output=hex";
  std::vector<const char*> keys = {"host",
                                   "port",
                                   "user",
                                   "password",
                                   "dbname",
                                   "sslmode",
                                   "connect_timeout",
                                   "application_name",
                                   "client_encoding",
                                   "options",
                                   "gssencmode"};
  std::vector<const char*> values = {settings.host.c_str(),
                                     port.c_str(),
                                     settings.user.c_str(),
                                     settings.password.reveal().c_str(),
                                     settings.database.c_str(),
                                     sslmode.c_str(),
                                     "30",
                                     "elastic-connectors",
                                     "UTF8",
                                     options,
                                     "disable"};
  if (!settings.ssl_root_cert.empty()) {
    keys.push_back("sslrootcert");
    values.push_back(settings.ssl_root_cert.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = PQconnectdbParams(keys.data(), values.data(), 0);
  if (conn_ == nullptr) throw SourceError("postgresql: out of memory while connecting");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string reason =
        common::scrub(fold_spaces(PQerrorMessage(conn_)), settings.password.reveal());
    PQfinish(conn_);
    conn_ = nullptr;
    std::string message = fmt::format("postgresql: Can't connect to Postgresql on {} ({}): {}",
                                      settings.host, common::describe(settings), reason);
    if (permanent_connect_failure(reason)) throw SourceError(message);
    throw common::TransientError(message);
  }
  PQsetNoticeProcessor(conn_, quiet_notices, nullptr);
  cancel_ = PQgetCancel(conn_);
}

Connection::~Connection() {
  if (cancel_ != nullptr) PQfreeCancel(cancel_);
  if (conn_ != nullptr) PQfinish(conn_);
}

Result Connection::run(const std::string& sql, std::string_view what) {
  last_sqlstate_.clear();
  PGresult* raw = PQexec(conn_, sql.c_str());
  ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Result(raw);
  const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state ? state : "";
  std::string reason = fold_spaces(raw ? PQresultErrorMessage(raw) : PQerrorMessage(conn_));
  if (reason.empty()) reason = fold_spaces(PQerrorMessage(conn_));
  if (raw) PQclear(raw);
  reason = common::scrub(reason, settings_.password.reveal());
  std::string message =
      fmt::format("postgresql: {} failed on {}: {}", what, common::describe(settings_), reason);
  if (PQstatus(conn_) == CONNECTION_BAD || transient_sqlstate(last_sqlstate_)) {
    throw common::TransientError(message);
  }
  throw SourceError(message);
}

std::string Connection::literal(std::string_view text) {
  char* quoted = PQescapeLiteral(conn_, text.data(), text.size());
  if (quoted == nullptr)
    throw SourceError("postgresql: cannot quote a literal: " + fold_spaces(PQerrorMessage(conn_)));
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

void Connection::cancel() {
  if (cancel_ == nullptr) return;
  char error[256];
  PQcancel(cancel_, error, sizeof error);
}

}  // namespace connectors::sources::postgresql
