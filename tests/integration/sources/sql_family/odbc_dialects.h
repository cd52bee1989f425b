// Test-only ODBC dialects that read PostgreSQL and MariaDB as the native
// postgresql and mysql sources do (same queries, names, ids and fields), so
// that the ODBC layer runs the SQL-family suite through Debian's
// odbc-postgresql and odbc-mariadb drivers against real servers and must
// produce the native sources' documents.
#pragma once

#include "sources/mysql/mysql_source.h"
#include "sources/odbc/table_source.h"
#include "sources/postgresql/postgresql_source.h"
#include "sources/sql/documents.h"

namespace connectors::testing {

namespace odbc = sources::odbc;

// postgresql_source.cpp's catalog and queries, through "PostgreSQL Unicode".
class PostgresqlOdbcDialect final : public odbc::Dialect {
 public:
  PostgresqlOdbcDialect(sources::common::Endpoint endpoint, long long fetch_size)
      : e_(std::move(endpoint)), fetch_size_(fetch_size) {}
  std::string name() const override { return "postgresql"; }
  std::string label() const override { return "Postgresql"; }
  std::string driver(const odbc::Environment&) const override { return "PostgreSQL Unicode"; }
  odbc::ConnectionString connection_string(const std::string& driver) const override {
    odbc::ConnectionString c;
    c.set("DRIVER", driver).set("SERVER", e_.host).set("PORT", std::to_string(e_.port));
    c.set("DATABASE", e_.database).set("UID", e_.user).set_secret("PWD", e_.password);
    // A server-side cursor read fetch_size rows at a time (psqlODBC reads whole results by
    // default); booleans as SQL_BIT; text as varchar(1024), bound in the row arrays (a longer
    // value is re-read with SQLGetData) instead of a long column read row by row.
    c.set("UseDeclareFetch", "1").set("Fetch", std::to_string(fetch_size_));
    c.set("BoolsAsChar", "0").set("TextAsLongVarchar", "0").set("MaxVarcharSize", "1024");
    return c;
  }
  std::vector<std::string> session_setup() const override {
    return {"SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'"};
  }
  bool positioned_long_reads() const override { return true; }
  std::string ping_query() const override { return "SELECT 1+1"; }
  std::vector<odbc::Table> all_tables(const odbc::CatalogQuery& query) const override {
    std::vector<odbc::Table> out;
    for (const auto& schema : query("SELECT schema_name FROM information_schema.schemata")) {
      if (schema == "pg_toast" || schema == "pg_catalog" || schema == "information_schema" ||
          schema.starts_with("pg_temp_") || schema.starts_with("pg_toast_temp_")) {
        continue;
      }
      for (auto& name :
           query("SELECT table_name FROM information_schema.tables WHERE table_catalog = " +
                 odbc::literal(e_.database) + " and table_schema = " + odbc::literal(schema))) {
        out.push_back({schema, std::move(name)});
      }
    }
    return out;
  }
  std::string count_query(const odbc::Table& t) const override {
    return "SELECT COUNT(*) FROM " + from(t);
  }
  std::string primary_key_query(const odbc::Table& t) const override {
    return "SELECT c.column_name FROM information_schema.table_constraints tc JOIN "
           "information_schema.constraint_column_usage AS ccu USING (constraint_schema, "
           "constraint_name) JOIN information_schema.columns AS c ON c.table_schema = "
           "tc.constraint_schema AND tc.table_name = c.table_name AND ccu.column_name = "
           "c.column_name WHERE constraint_type = 'PRIMARY KEY' and tc.table_name = " +
           odbc::literal(t.name) + " and tc.constraint_schema = " + odbc::literal(t.schema);
  }
  std::string last_update_query(const odbc::Table& t) const override {
    // As text: psqlODBC would print a timestamptz without its offset.
    return "SELECT MAX(pg_xact_commit_timestamp(xmin))::text FROM " + from(t);
  }
  std::string data_query(const odbc::Table& t) const override { return "SELECT * FROM " + from(t); }
  std::string column_name(const odbc::Table& t, std::string_view column) const override {
    return sources::sql::prefixed_column(t.schema, t.name, column);
  }
  std::string document_id(const odbc::Table& t,
                          const std::vector<const sources::sql::Value*>& keys) const override {
    return sources::sql::generic_database_id(e_.database, t.schema, t.name, keys);
  }
  nlohmann::json extra_fields(const odbc::Table& t) const override {
    return {{"Database", e_.database}, {"Table", t.name}, {"schema", t.schema}};
  }

 private:
  static std::string from(const odbc::Table& t) {
    return odbc::identifier(t.schema) + "." + odbc::identifier(t.name);
  }
  sources::common::Endpoint e_;
  long long fetch_size_;
};

// mysql_source.cpp's queries, names and ids, through "MariaDB Unicode".
class MysqlOdbcDialect final : public odbc::Dialect {
 public:
  explicit MysqlOdbcDialect(sources::common::Endpoint endpoint) : e_(std::move(endpoint)) {}
  std::string name() const override { return "mysql"; }
  std::string label() const override { return "MySQL"; }
  std::string driver(const odbc::Environment&) const override { return "MariaDB Unicode"; }
  odbc::ConnectionString connection_string(const std::string& driver) const override {
    odbc::ConnectionString c;
    c.set("DRIVER", driver).set("SERVER", e_.host).set("PORT", std::to_string(e_.port));
    c.set("DATABASE", e_.database).set("UID", e_.user).set_secret("PWD", e_.password);
    // MariaDB's driver 3.1 reads a whole result before the first row, whatever its
    // NO_CACHE option says (tried): fine for the test tables.
    c.set("FORWARDONLY", "1");
    return c;
  }
  std::vector<std::string> session_setup() const override {
    return {"SET SESSION net_write_timeout = 3600, time_zone = '+00:00'"};
  }
  std::string ping_query() const override { return "SELECT 1"; }
  std::vector<odbc::Table> all_tables(const odbc::CatalogQuery& query) const override {
    std::vector<odbc::Table> out;
    for (auto& name :
         query("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = " +
               odbc::literal(e_.database))) {
      out.push_back({"", std::move(name)});
    }
    return out;
  }
  std::string count_query(const odbc::Table& t) const override {
    return "SELECT COUNT(*) FROM " + from(t);
  }
  std::string primary_key_query(const odbc::Table& t) const override {
    return "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = " +
           odbc::literal(e_.database) + " AND TABLE_NAME = " + odbc::literal(t.name) +
           " AND COLUMN_KEY = 'PRI'";
  }
  std::string last_update_query(const odbc::Table& t) const override {
    return "SELECT UPDATE_TIME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = " +
           odbc::literal(e_.database) + " AND TABLE_NAME = " + odbc::literal(t.name);
  }
  std::string data_query(const odbc::Table& t) const override { return "SELECT * FROM " + from(t); }
  std::string column_name(const odbc::Table&, std::string_view column) const override {
    return std::string(column);
  }
  std::string document_id(const odbc::Table& t,
                          const std::vector<const sources::sql::Value*>& keys) const override {
    return sources::sql::hash_id({t.name}, keys);
  }
  nlohmann::json extra_fields(const odbc::Table& t) const override { return {{"Table", t.name}}; }

 private:
  std::string from(const odbc::Table& t) const {
    auto quote = [](std::string_view name) {
      std::string out = "`";
      for (char c : name) {
        if (c == '`') out += '`';
        out += c;
      }
      return out + "`";
    };
    return quote(e_.database) + "." + quote(t.name);
  }
  sources::common::Endpoint e_;
};

// A source of `engine` ("postgresql", "mysql") reading through ODBC, from the
// native source's configuration.
inline std::unique_ptr<sources::Source> make_odbc_source(const std::string& engine,
                                                         const nlohmann::json& values) {
  bool pg = engine == "postgresql";
  sources::Configuration c(pg ? sources::postgresql_schema() : sources::mysql_schema(), values);
  c.validate();
  odbc::Settings s;
  sources::sql::read_settings(c, pg ? "username" : "user", s.endpoint, s);
  std::unique_ptr<odbc::Dialect> dialect;
  if (pg) {
    dialect = std::make_unique<PostgresqlOdbcDialect>(s.endpoint, s.fetch_size);
  } else {
    dialect = std::make_unique<MysqlOdbcDialect>(s.endpoint);
  }
  return std::make_unique<odbc::TableSource>(std::move(s), std::move(dialect));
}

}  // namespace connectors::testing
