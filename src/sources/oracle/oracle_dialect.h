// Oracle as connectors-python@8.8's oracle.py reads it (reference/sources.md
// §2.5): the connecting user's tables (all_tables), the framework's primary key
// query, SCN_TO_TIMESTAMP(MAX(ora_rowscn)) for the timestamp (ORA-08181 when
// the SCN is too old: then no timestamp), column names "{table}_{column}"
// lower-cased, ids "{database}_{TABLE}_{pk}_", the Database and Table fields.
// The connection goes through Oracle's ODBC driver (libsqora, from Oracle
// Instant Client, which Debian does not ship): in `oracle_home`, or
// registered in odbcinst.ini under a name that holds "Oracle".
#pragma once

#include <string>

#include "sources/odbc/table_source.h"

namespace connectors::sources::oracle {

struct Settings {
  common::Endpoint endpoint;     // database = the SID
  std::string protocol = "TCP";  // TCP or TCPS
  std::string oracle_home;       // "" = a driver registered in odbcinst.ini
  std::string wallet_configuration_path;
};

// (DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=p))(CONNECT_DATA=(SID=xe))).
std::string connect_descriptor(const Settings& settings);

// The Oracle ODBC driver library in `oracle_home` (libsqora.so*, in the
// directory or its lib/), "" if none.
std::string driver_in_home(const std::string& oracle_home);

// What to install, and where oracle_home must point.
std::string client_hint();

class Dialect final : public odbc::Dialect {
 public:
  explicit Dialect(Settings settings) : s_(std::move(settings)) {}

  std::string name() const override { return "oracle"; }
  std::string label() const override { return "Oracle"; }
  std::string driver(const odbc::Environment& env) const override;
  odbc::ConnectionString connection_string(const std::string& driver) const override;
  std::string driver_hint() const override { return client_hint(); }

  std::string ping_query() const override { return "SELECT 1+1 FROM DUAL"; }
  std::string tables_query() const;
  std::vector<odbc::Table> all_tables(const odbc::CatalogQuery& query) const override;
  std::string count_query(const odbc::Table& table) const override;
  std::string primary_key_query(const odbc::Table& table) const override;
  std::string last_update_query(const odbc::Table& table) const override;
  std::string data_query(const odbc::Table& table) const override;

  std::string column_name(const odbc::Table& table, std::string_view column) const override;
  std::string document_id(const odbc::Table& table,
                          const std::vector<const sql::Value*>& keys) const override;
  nlohmann::json extra_fields(const odbc::Table& table) const override;
  sql::Value convert(const odbc::ResultReader& reader, size_t row, size_t column) const override;

 private:
  std::string owner() const;  // username.upper()
  Settings s_;
};

// NUMBER(p, 0) is an integer (python-oracledb returns int); other numbers
// stay exact decimals. Also for tests.
sql::Value convert_number(const odbc::Column& column, std::string text);

}  // namespace connectors::sources::oracle
