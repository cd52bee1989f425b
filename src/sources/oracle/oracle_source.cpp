#include "sources/oracle/oracle_source.h"

#include "sources/common/python_text.h"
#include "sources/oracle/oracle_dialect.h"

namespace connectors::sources {
namespace {

// Characters that would change the connect descriptor's structure.
void check_descriptor_value(const std::string& key, const std::string& label,
                            const std::string& value) {
  if (value.find_first_of("()=\"' \t\r\n") != std::string::npos) {
    throw ConfigError(key, "'" + label + "' (" + key +
                               ") cannot hold spaces, quotes, parentheses or '=': '" + value + "'");
  }
}

}  // namespace

Schema oracle_schema() {
  Schema schema = sql::endpoint_fields("username");
  for (auto& f : sql::request_fields(7)) schema.push_back(std::move(f));
  Field protocol = make_field("oracle_protocol", "Oracle connection protocol", 9);
  protocol.display = Display::kDropdown;
  protocol.options = {{{"label", "TCP"}, {"value", "TCP"}}, {{"label", "TCPS"}, {"value", "TCPS"}}};
  protocol.value = "TCP";
  schema.push_back(protocol);
  Field home = make_field("oracle_home", "Path of Oracle Service", 10);
  home.required = false;
  schema.push_back(home);
  Field wallet =
      make_field("wallet_configuration_path", "Path of Oracle Service configuration files", 11);
  wallet.required = false;
  schema.push_back(wallet);
  return schema;
}

SourceDescriptor oracle_descriptor() {
  return {"oracle", "Oracle", oracle_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            odbc::Settings s;
            sql::read_settings(c, "username", s.endpoint, s);
            oracle::Settings o;
            o.endpoint = s.endpoint;
            // The seeds: "does not allow the sys user ... pass either sysdba or sysoper mode".
            if (common::lower(o.endpoint.user) == "sys") {
              throw ConfigError("username",
                                "oracle: the sys user is not supported (its 1000+ system tables "
                                "are not content): connect as the tables' owner, or as 'sys as "
                                "sysdba' / 'sys as sysoper'");
            }
            o.protocol = c.str("oracle_protocol");
            if (o.protocol != "TCP" && o.protocol != "TCPS") {
              throw ConfigError("oracle_protocol",
                                "'Oracle connection protocol' (oracle_protocol) must be TCP or "
                                "TCPS, got '" +
                                    o.protocol + "'");
            }
            check_descriptor_value("host", "Host", o.endpoint.host);
            check_descriptor_value("database", "Database", o.endpoint.database);
            o.oracle_home = c.str("oracle_home");
            o.wallet_configuration_path = c.str("wallet_configuration_path");
            return std::make_unique<odbc::TableSource>(std::move(s),
                                                       std::make_unique<oracle::Dialect>(o));
          },
          Capabilities{}};
}

}  // namespace connectors::sources
