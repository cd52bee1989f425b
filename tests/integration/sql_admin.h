// Plain client sessions of the SQL-family tests, to set up data and to watch
// (or kill) the source's session: libpq for PostgreSQL, MariaDB's
// Connector/C for MySQL, behind one interface.
#pragma once

#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#endif
#if __has_include(<mysql.h>)
#include <mysql.h>
#endif

#include <memory>
#include <stdexcept>
#include <string>

#include "sql_server_support.h"

namespace connectors::testing {

class SqlAdmin {
 public:
  virtual ~SqlAdmin() = default;
  // Runs statements; returns the first cell of the first row, if any.
  virtual std::string run(const std::string& sql) = 0;
};

#if __has_include(<libpq-fe.h>)
class PgAdmin final : public SqlAdmin {
 public:
  explicit PgAdmin(const SqlServer& server) {
    std::string conninfo = "host=127.0.0.1 port=" + server["port"] + " user=" + server["user"] +
                           " password=" + server["password"] + " dbname=" + server["database"];
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn_));
  }
  ~PgAdmin() override { PQfinish(conn_); }
  std::string run(const std::string& sql) override {
    PGresult* r = PQexec(conn_, sql.c_str());
    auto status = PQresultStatus(r);
    std::string out = status == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    std::string error = PQresultErrorMessage(r);
    PQclear(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw std::runtime_error(error);
    return out;
  }

 private:
  PGconn* conn_;
};
#endif

#if __has_include(<mysql.h>)
class MysqlAdmin final : public SqlAdmin {
 public:
  explicit MysqlAdmin(const SqlServer& server) {
    conn_ = mysql_init(nullptr);
    unsigned int tcp = MYSQL_PROTOCOL_TCP;
    mysql_optionsv(conn_, MYSQL_OPT_PROTOCOL, &tcp);
    if (!mysql_real_connect(conn_, "127.0.0.1", server["user"].c_str(), server["password"].c_str(),
                            server["database"].c_str(), static_cast<unsigned>(server.port()),
                            nullptr, 0)) {
      throw std::runtime_error(mysql_error(conn_));
    }
  }
  ~MysqlAdmin() override { mysql_close(conn_); }
  std::string run(const std::string& sql) override {
    if (mysql_query(conn_, sql.c_str()) != 0)
      throw std::runtime_error(mysql_error(conn_) + (": " + sql));
    MYSQL_RES* result = mysql_store_result(conn_);
    std::string out;
    if (result) {
      if (MYSQL_ROW row = mysql_fetch_row(result); row && row[0]) out = row[0];
      mysql_free_result(result);
    }
    return out;
  }

 private:
  MYSQL* conn_;
};
#endif

#if __has_include(<libpq-fe.h>) && __has_include(<mysql.h>)
inline std::unique_ptr<SqlAdmin> admin_of(const std::string& engine, const SqlServer& server) {
  if (engine == "postgresql") return std::make_unique<PgAdmin>(server);
  return std::make_unique<MysqlAdmin>(server);
}
#endif

}  // namespace connectors::testing
