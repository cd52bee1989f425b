// The generic database engine of connectors-python@8.8 (generic_database.py,
// reference/sources.md §2.1) over ODBC: list the tables, and for each one
// count its rows (none: skipped), read its primary key (none: skipped, with a
// warning to the job), its last update time, then stream `SELECT *` through
// a ResultReader, fetch_size rows per fetch, into one document per row. Every
// step is retried (retry_count attempts, sleeps of 2^n s) on a fresh
// connection: a read that failed part-way starts over from its first row
// (the framework's TDS stream corruption, issue #3723, came from reusing the
// connection). What differs between databases is a Dialect: connection
// string, queries, column names, ids, value conversion.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <vector>

#include "sources/odbc/odbc_handles.h"
#include "sources/odbc/odbc_values.h"
#include "sources/odbc/result_reader.h"
#include "sources/source.h"
#include "sources/sql/table_sync.h"

namespace connectors::sources::odbc {

struct Table {
  std::string schema;  // "" when the database has none (Oracle)
  std::string name;
};

// Runs a catalog query and returns the first column of its rows.
using CatalogQuery = std::function<std::vector<std::string>(const std::string& sql)>;

class Dialect {
 public:
  virtual ~Dialect() = default;

  // "mssql": the prefix of messages.
  virtual std::string name() const = 0;
  // "Microsoft SQL": the framework's ping failure says "Can't connect to <label> on <host>".
  virtual std::string label() const = 0;

  // The DRIVER: a name from odbcinst.ini, or the path of a driver library
  // (`env` lists the installed ones). Throws SourceError when there is none.
  virtual std::string driver(const Environment& env) const = 0;
  // The whole connection string with `driver`, password included (set_secret).
  virtual ConnectionString connection_string(const std::string& driver) const = 0;
  // Statements run once on each new connection.
  virtual std::vector<std::string> session_setup() const { return {}; }

  virtual std::string ping_query() const = 0;
  // Every table of the configured database (schema).
  virtual std::vector<Table> all_tables(const CatalogQuery& query) const = 0;
  // The configured names as tables, from the catalog of all_tables; names
  // the catalog lacks are added to `missing`.
  virtual std::vector<Table> resolve_tables(const std::vector<std::string>& names,
                                            const std::vector<Table>& catalog,
                                            std::vector<std::string>& missing) const;
  // Tables the framework never reads (MSSQL: msdb's sysutility_ucp_configuration_internal).
  virtual bool skipped(const Table&) const { return false; }

  virtual std::string count_query(const Table& table) const = 0;
  virtual std::string primary_key_query(const Table& table) const = 0;
  virtual std::string last_update_query(const Table& table) const = 0;
  virtual std::string data_query(const Table& table) const = 0;

  // The `_timestamp` of a table from the first cell of the last-update query
  // (nullopt: NULL), a timestamp or its text; "" when the database cannot tell.
  virtual std::string timestamp(const std::optional<sql::Value>& cell) const;

  virtual std::string column_name(const Table& table, std::string_view column) const = 0;
  virtual std::string document_id(const Table& table,
                                  const std::vector<const sql::Value*>& keys) const = 0;
  virtual nlohmann::json extra_fields(const Table& table) const = 0;
  // "public.odd" / "ODD": the table in messages.
  virtual std::string display(const Table& table) const;

  // Whether the driver reads long columns right on every row of a rowset
  // (see ResultReader); false: a table with long columns is read a row per fetch.
  virtual bool positioned_long_reads() const { return false; }

  virtual Fetch fetch_of(const Column& column) const { return default_fetch(column); }
  virtual sql::Value convert(const ResultReader& reader, size_t row, size_t column) const {
    return odbc::convert(reader, row, column);
  }

  // What the driver or client library needs and how to get it, added to
  // the error when the driver cannot be loaded.
  virtual std::string driver_hint() const { return ""; }
};

struct Settings : sql::SourceSettings {
  common::Endpoint endpoint;
  Timeouts timeouts;
  std::shared_ptr<common::CertificateFile> ca_file;  // ssl_ca's file, kept while the source lives
};

// A source reading tables through ODBC with `dialect`.
class TableSource : public Source {
 public:
  TableSource(Settings settings, std::unique_ptr<Dialect> dialect);
  ~TableSource() override;

  void ping(std::stop_token stop) override;
  void documents(DocumentSink& sink, std::stop_token stop) override;

  const Dialect& dialect() const { return *dialect_; }

 protected:
  Connection& connection();
  void retrying(std::stop_token stop, const std::function<void()>& step);
  std::vector<std::string> catalog(const std::string& sql, std::string_view what);

 private:
  std::string check_driver();  // the driver to load
  std::vector<Table> tables(std::stop_token stop);
  void sync_table(const Table& table, DocumentSink& sink, std::stop_token stop);

  Settings s_;
  std::unique_ptr<Dialect> dialect_;
  std::unique_ptr<Environment> env_;
  std::unique_ptr<Connection> conn_;
};

// Throws SourceError naming `driver` and every installed driver unless
// `driver` is installed (compared without case) or is the path of a file.
void require_driver(const Environment& env, std::string_view source, const std::string& driver,
                    std::string_view hint);

}  // namespace connectors::sources::odbc
