#include "sources/mssql/mssql_dialect.h"

#include "sources/common/python_text.h"
#include "sources/sql/documents.h"

namespace connectors::sources::mssql {
namespace {

using odbc::literal;
using odbc::identifier;

// [name] with every ] doubled: the quoting object_id() reads.
std::string bracketed(std::string_view name) {
  std::string out = "[";
  for (char c : name) {
    out += c;
    if (c == ']') out += ']';
  }
  return out + "]";
}

}  // namespace

bool is_freetds(const std::string& driver) {
  std::string name = common::lower(driver);
  return name.find("freetds") != std::string::npos || name.find("tdsodbc") != std::string::npos;
}

odbc::ConnectionString Dialect::connection_string(const std::string& driver) const {
  odbc::ConnectionString c;
  c.set("DRIVER", driver);
  const auto& e = s_.endpoint;
  if (is_freetds(driver)) {
    // freetds.conf's settings by name; TDS 7.4 (SQL Server 2012+), UTF-8 on our side.
    c.set("SERVER", e.host).set("PORT", std::to_string(e.port));
    c.set("DATABASE", e.database).set("UID", e.user).set_secret("PWD", e.password);
    c.set("TDS_Version", "7.4").set("ClientCharset", "UTF-8");
    if (s_.encrypt) {
      c.set("Encryption", "require");
      if (!s_.ca_file.empty()) c.set("ca file", s_.ca_file);
      c.set("check certificate hostname", s_.validate_host ? "yes" : "no");
    }
  } else {
    // Microsoft's driver (PR #509 of the framework): TrustServerCertificate=no
    // and Encrypt=yes when secured, else the certificate is trusted as it is.
    c.set("SERVER", "tcp:" + e.host + "," + std::to_string(e.port));
    c.set("DATABASE", e.database).set("UID", e.user).set_secret("PWD", e.password);
    if (s_.encrypt) {
      c.set("Encrypt", "yes").set("TrustServerCertificate", "no");
      if (!s_.ca_file.empty()) c.set("ServerCertificate", s_.ca_file);
    } else {
      c.set("TrustServerCertificate", "yes");
    }
  }
  return c;
}

std::vector<std::string> Dialect::session_setup() const {
  // FreeTDS cuts text, ntext and image values at 64512 bytes unless told otherwise.
  return {"SET TEXTSIZE 2147483647"};
}

std::string Dialect::driver_hint() const {
  return "Install Microsoft's ODBC Driver 18 for SQL Server (msodbcsql18) or FreeTDS (Debian: "
         "tdsodbc, registered as 'FreeTDS'), and set mssql_driver to its name";
}

std::string Dialect::tables_query() const {
  return "SELECT table_name FROM information_schema.tables WHERE TABLE_SCHEMA = " +
         literal(s_.schema);
}

std::vector<odbc::Table> Dialect::all_tables(const odbc::CatalogQuery& query) const {
  std::vector<odbc::Table> out;
  for (auto& name : query(tables_query())) out.push_back({s_.schema, std::move(name)});
  return out;
}

bool Dialect::skipped(const odbc::Table& table) const {
  // The framework's tables_to_skip: {"msdb": ["sysutility_ucp_configuration_internal"]}.
  return s_.endpoint.database == "msdb" && table.name == "sysutility_ucp_configuration_internal";
}

std::string Dialect::from(const odbc::Table& table) const {
  return identifier(table.schema) + "." + identifier(table.name);
}

std::string Dialect::count_query(const odbc::Table& table) const {
  return "SELECT COUNT(*) FROM " + from(table);
}

std::string Dialect::primary_key_query(const odbc::Table& table) const {
  return "SELECT C.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS T JOIN "
         "INFORMATION_SCHEMA.CONSTRAINT_COLUMN_USAGE C ON C.CONSTRAINT_NAME=T.CONSTRAINT_NAME "
         "WHERE C.TABLE_NAME=" +
         literal(table.name) + " and C.TABLE_SCHEMA=" + literal(table.schema) +
         " and T.CONSTRAINT_TYPE='PRIMARY KEY'";
}

std::string Dialect::last_update_query(const odbc::Table& table) const {
  // One row per index of the table: the newest of them (the framework took the first row).
  return "SELECT MAX(last_user_update) FROM sys.dm_db_index_usage_stats WHERE "
         "object_id=object_id(" +
         literal(bracketed(table.schema) + "." + bracketed(table.name)) + ")";
}

std::string Dialect::data_query(const odbc::Table& table) const {
  return "SELECT * FROM " + from(table);
}

std::string Dialect::column_name(const odbc::Table& table, std::string_view column) const {
  return sql::prefixed_column(table.schema, table.name, column);
}

std::string Dialect::document_id(const odbc::Table& table,
                                 const std::vector<const sql::Value*>& keys) const {
  return sql::generic_database_id(s_.endpoint.database, table.schema, table.name, keys);
}

nlohmann::json Dialect::extra_fields(const odbc::Table& table) const {
  return {{"Database", s_.endpoint.database}, {"Table", table.name}, {"schema", table.schema}};
}

}  // namespace connectors::sources::mssql
