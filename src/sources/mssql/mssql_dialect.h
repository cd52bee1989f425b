// Microsoft SQL Server as connectors-python@8.8's mssql.py reads it
// (reference/sources.md §2.4): the framework's queries on one schema, column
// names "{schema}_{table}_{column}" lower-cased, ids
// "{database}_{schema}_{table}_{pk}_", the Database/Table/schema fields and
// sys.dm_db_index_usage_stats for the timestamp; the connection through the
// ODBC driver the seeds' `mssql_driver` names (FreeTDS or Microsoft's).
#pragma once

#include <string>

#include "sources/odbc/table_source.h"

namespace connectors::sources::mssql {

struct Settings {
  common::Endpoint endpoint;
  std::string schema = "dbo";
  std::string driver = "ODBC Driver 18 for SQL Server";
  bool encrypt = false;        // secured_connection or ssl_enabled
  std::string ca_file;         // ssl_ca written to a file; "" = the system's trust store
  bool validate_host = false;  // the certificate must name the host
};

// Whether `driver` is FreeTDS (by name or library), whose connection keywords differ.
bool is_freetds(const std::string& driver);

class Dialect final : public odbc::Dialect {
 public:
  explicit Dialect(Settings settings) : s_(std::move(settings)) {}

  std::string name() const override { return "mssql"; }
  std::string label() const override { return "Microsoft SQL"; }
  std::string driver(const odbc::Environment&) const override { return s_.driver; }
  odbc::ConnectionString connection_string(const std::string& driver) const override;
  std::vector<std::string> session_setup() const override;
  std::string driver_hint() const override;

  std::string ping_query() const override { return "SELECT 1+1"; }
  std::vector<odbc::Table> all_tables(const odbc::CatalogQuery& query) const override;
  std::string tables_query() const;
  bool skipped(const odbc::Table& table) const override;
  std::string count_query(const odbc::Table& table) const override;
  std::string primary_key_query(const odbc::Table& table) const override;
  std::string last_update_query(const odbc::Table& table) const override;
  std::string data_query(const odbc::Table& table) const override;

  std::string column_name(const odbc::Table& table, std::string_view column) const override;
  std::string document_id(const odbc::Table& table,
                          const std::vector<const sql::Value*>& keys) const override;
  nlohmann::json extra_fields(const odbc::Table& table) const override;

 private:
  std::string from(const odbc::Table& table) const;
  Settings s_;
};

}  // namespace connectors::sources::mssql
