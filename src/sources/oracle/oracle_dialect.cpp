#include "sources/oracle/oracle_dialect.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "sources/common/python_text.h"
#include "sources/sql/documents.h"

namespace connectors::sources::oracle {
namespace {

using odbc::literal;
using odbc::identifier;

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string connect_descriptor(const Settings& s) {
  return fmt::format(
      "(DESCRIPTION=(ADDRESS=(PROTOCOL={})(HOST={})(PORT={}))(CONNECT_DATA=(SID={})))", s.protocol,
      s.endpoint.host, s.endpoint.port, s.endpoint.database);
}

std::string driver_in_home(const std::string& oracle_home) {
  namespace fs = std::filesystem;
  if (oracle_home.empty()) return "";
  std::vector<std::string> found;
  for (const fs::path& dir : {fs::path(oracle_home), fs::path(oracle_home) / "lib"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      std::string file = entry.path().filename().string();
      if (file.starts_with("libsqora.so")) found.push_back(entry.path().string());
    }
    if (!found.empty()) break;
  }
  if (found.empty()) return "";
  std::sort(found.begin(), found.end());  // libsqora.so before libsqora.so.19.1
  return found.front();
}

std::string client_hint() {
  return "The oracle source reads Oracle through Oracle's ODBC driver (libsqora.so), part of "
         "Oracle Instant Client, which is not in Debian: download the Instant Client Basic and "
         "ODBC packages (19c or later) from Oracle, unpack both into one directory, and set "
         "oracle_home to that directory (the one holding libsqora.so.*; a full Oracle home's lib/ "
         "is found too), or register the driver in odbcinst.ini (Instant Client's "
         "odbc_update_ini.sh) under a name holding 'Oracle' and leave oracle_home empty";
}

std::string Dialect::driver(const odbc::Environment& env) const {
  if (!s_.oracle_home.empty()) {
    std::string library = driver_in_home(s_.oracle_home);
    if (library.empty()) {
      throw SourceError(
          fmt::format("oracle: no Oracle ODBC driver (libsqora.so*) in oracle_home {}. {}",
                      s_.oracle_home, client_hint()));
    }
    // As the framework's thick mode: the client finds its files (and the wallet) from these.
    ::setenv("ORACLE_HOME", s_.oracle_home.c_str(), 1);
    if (!s_.wallet_configuration_path.empty())
      ::setenv("TNS_ADMIN", s_.wallet_configuration_path.c_str(), 1);
    return library;
  }
  auto installed = env.drivers();
  for (const auto& name : installed) {
    if (common::lower(name).find("oracle") != std::string::npos) return name;
  }
  throw SourceError(fmt::format(
      "oracle: no Oracle client: oracle_home is empty and no ODBC driver named Oracle is "
      "installed (installed: {}). {}",
      installed.empty() ? "none" : common::join(installed), client_hint()));
}

odbc::ConnectionString Dialect::connection_string(const std::string& driver) const {
  odbc::ConnectionString c;
  c.set("DRIVER", driver).set("DBQ", connect_descriptor(s_));
  c.set("UID", s_.endpoint.user).set_secret("PWD", s_.endpoint.password);
  return c;
}

std::string Dialect::owner() const { return upper(s_.endpoint.user); }

std::string Dialect::tables_query() const {
  return "SELECT TABLE_NAME FROM all_tables where OWNER = " + literal(owner());
}

std::vector<odbc::Table> Dialect::all_tables(const odbc::CatalogQuery& query) const {
  std::vector<odbc::Table> out;
  for (auto& name : query(tables_query())) out.push_back({"", std::move(name)});
  return out;
}

std::string Dialect::count_query(const odbc::Table& table) const {
  return "SELECT COUNT(*) FROM " + identifier(table.name);
}

std::string Dialect::primary_key_query(const odbc::Table& table) const {
  return "SELECT cols.column_name FROM all_constraints cons, all_cons_columns cols WHERE "
         "cols.table_name = " +
         literal(table.name) +
         " AND cons.constraint_type = 'P' AND cons.constraint_name = cols.constraint_name AND "
         "cons.owner = " +
         literal(owner()) + " AND cons.owner = cols.owner ORDER BY cols.table_name, cols.position";
}

std::string Dialect::last_update_query(const odbc::Table& table) const {
  return "SELECT SCN_TO_TIMESTAMP(MAX(ora_rowscn)) from " + identifier(table.name);
}

std::string Dialect::data_query(const odbc::Table& table) const {
  return "SELECT * FROM " + identifier(table.name);
}

std::string Dialect::column_name(const odbc::Table& table, std::string_view column) const {
  return sql::prefixed_column("", table.name, column);
}

std::string Dialect::document_id(const odbc::Table& table,
                                 const std::vector<const sql::Value*>& keys) const {
  return sql::generic_database_id(s_.endpoint.database, "", table.name, keys);
}

nlohmann::json Dialect::extra_fields(const odbc::Table& table) const {
  return {{"Database", s_.endpoint.database}, {"Table", table.name}};
}

sql::Value convert_number(const odbc::Column& column, std::string text) {
  if (column.digits == 0 && column.size > 0) return sql::Value::of(sql::Kind::kInteger, text);
  return sql::Value::of(sql::Kind::kDecimal, std::move(text));
}

sql::Value Dialect::convert(const odbc::ResultReader& reader, size_t row, size_t column) const {
  const auto& c = reader.columns()[column];
  if ((c.sql_type == SQL_DECIMAL || c.sql_type == SQL_NUMERIC) && !reader.null(row, column)) {
    return convert_number(c, reader.text(row, column));
  }
  return odbc::convert(reader, row, column);
}

}  // namespace connectors::sources::oracle
