#include "sources/mssql/mssql_source.h"

#include "sources/mssql/mssql_dialect.h"

namespace connectors::sources {

Schema mssql_schema() {
  Schema schema = sql::endpoint_fields("username");
  for (auto& f : sql::request_fields(7)) schema.push_back(std::move(f));
  Field schema_name = make_field("schema", "Schema", 9);
  schema_name.value = "dbo";  // SQL Server's default schema
  schema.push_back(schema_name);
  for (auto& f : sql::ssl_fields(10, "Enable SSL verification")) schema.push_back(std::move(f));
  schema.push_back(make_toggle("validate_host", "Validate host", 12));
  // The seeds' fields (the framework's first, pyodbc-based mssql.py, PR #509).
  Field driver = make_field("mssql_driver", "Name of the ODBC driver for SQL Server", 13);
  driver.value = "ODBC Driver 18 for SQL Server";
  driver.default_value = driver.value;
  driver.required = false;
  schema.push_back(driver);
  schema.push_back(make_toggle("secured_connection", "Secured connection", 14));
  return schema;
}

SourceDescriptor mssql_descriptor() {
  return {"mssql", "Microsoft SQL Server", mssql_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            odbc::Settings s;
            sql::read_settings(c, "username", s.endpoint, s);
            mssql::Settings m;
            m.endpoint = s.endpoint;
            m.schema = c.str("schema");
            if (m.schema.empty()) throw ConfigError("schema", "'Schema' (schema) cannot be empty");
            m.driver = c.str("mssql_driver");
            if (m.driver.empty()) m.driver = "ODBC Driver 18 for SQL Server";
            m.encrypt = s.ssl || c.boolean("secured_connection");
            m.validate_host = c.boolean("validate_host");
            if (s.ssl && !s.ssl_ca.empty()) {
              s.ca_file = std::make_shared<common::CertificateFile>(s.ssl_ca);
              m.ca_file = s.ca_file->path();
            }
            return std::make_unique<odbc::TableSource>(std::move(s),
                                                       std::make_unique<mssql::Dialect>(m));
          },
          Capabilities{}};
}

}  // namespace connectors::sources
