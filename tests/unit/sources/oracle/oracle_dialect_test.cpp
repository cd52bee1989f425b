// name: Oracle dialect without a server or client
// description: the oracle source's fields, connect descriptor, exact queries,
// ids and column names (reference/sources.md §2.5), NUMBER and the other
// Oracle types as Oracle's ODBC driver describes them, the sys user rule, and
// the errors without an Oracle client (what to install, where oracle_home
// must point).
#include "sources/oracle/oracle_dialect.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/errors.h"
#include "sources/oracle/oracle_source.h"
#include "sources/registry.h"

namespace connectors::sources {
namespace {

using json = nlohmann::json;

oracle::Settings settings() {
  oracle::Settings s;
  s.endpoint.host = "127.0.0.1";
  s.endpoint.port = 1521;
  s.endpoint.user = "admin";
  s.endpoint.password = Secret("Password_123");
  s.endpoint.database = "xe";
  return s;
}

const odbc::Table kCustomers{"", "CUSTOMERS_0"};

TEST(OracleDialect, TheFrameworksDescriptorAndConnectionString) {
  auto s = settings();
  EXPECT_EQ(oracle::connect_descriptor(s),
            "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=127.0.0.1)(PORT=1521))(CONNECT_DATA=(SID="
            "xe)))");
  s.protocol = "TCPS";
  EXPECT_NE(oracle::connect_descriptor(s).find("(PROTOCOL=TCPS)"), std::string::npos);
  auto c = oracle::Dialect(s).connection_string("/opt/instantclient/libsqora.so.19.1");
  EXPECT_EQ(c.masked(),
            "DRIVER=/opt/instantclient/libsqora.so.19.1;DBQ={(DESCRIPTION=(ADDRESS=(PROTOCOL="
            "TCPS)(HOST=127.0.0.1)(PORT=1521))(CONNECT_DATA=(SID=xe)))};UID=admin;PWD={***};");
}

TEST(OracleDialect, TheFrameworksQueries) {
  oracle::Dialect d(settings());
  EXPECT_EQ(d.ping_query(), "SELECT 1+1 FROM DUAL");
  EXPECT_EQ(d.tables_query(), "SELECT TABLE_NAME FROM all_tables where OWNER = 'ADMIN'");
  EXPECT_EQ(d.primary_key_query(kCustomers),
            "SELECT cols.column_name FROM all_constraints cons, all_cons_columns cols WHERE "
            "cols.table_name = 'CUSTOMERS_0' AND cons.constraint_type = 'P' AND "
            "cons.constraint_name = cols.constraint_name AND cons.owner = 'ADMIN' AND cons.owner "
            "= cols.owner ORDER BY cols.table_name, cols.position");
  EXPECT_EQ(d.data_query(kCustomers), "SELECT * FROM \"CUSTOMERS_0\"");
  EXPECT_EQ(d.count_query(kCustomers), "SELECT COUNT(*) FROM \"CUSTOMERS_0\"");
  EXPECT_EQ(d.last_update_query(kCustomers),
            "SELECT SCN_TO_TIMESTAMP(MAX(ora_rowscn)) from \"CUSTOMERS_0\"");
  auto tables =
      d.all_tables([](const std::string&) { return std::vector<std::string>{"CUSTOMERS_0"}; });
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].schema, "") << "Oracle has no schema in the framework";
}

TEST(OracleDialect, ConfiguredNamesFoldToTheCatalogsCase) {
  oracle::Dialect d(settings());
  std::vector<odbc::Table> catalog = {{"", "CUSTOMERS_0"}, {"", "MixedCase"}};
  std::vector<std::string> missing;
  auto tables = d.resolve_tables({"customers_0", "MixedCase", "nope"}, catalog, missing);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].name, "CUSTOMERS_0");
  EXPECT_EQ(tables[1].name, "MixedCase");
  EXPECT_EQ(missing, std::vector<std::string>{"nope"});
}

TEST(OracleDialect, IdsColumnsAndFields) {
  oracle::Dialect d(settings());
  EXPECT_EQ(d.column_name(kCustomers, "NAME"), "customers_0_name");
  auto id = sql::Value::of(sql::Kind::kInteger, "1");
  EXPECT_EQ(d.document_id(kCustomers, {&id}), "xe_CUSTOMERS_0_1_");
  EXPECT_EQ(d.extra_fields(kCustomers), json({{"Database", "xe"}, {"Table", "CUSTOMERS_0"}}));
  EXPECT_FALSE(d.extra_fields(kCustomers).contains("schema"));
}

odbc::Column column(SQLSMALLINT type, SQLULEN size, SQLSMALLINT digits) {
  odbc::Column c;
  c.sql_type = type;
  c.size = size;
  c.digits = digits;
  return c;
}

TEST(OracleDialect, OracleTypesConvert) {
  // NUMBER(p, 0) (INTEGER is NUMBER(38)) is an int, as python-oracledb returns it.
  EXPECT_EQ(sql::to_json(oracle::convert_number(column(SQL_DECIMAL, 38, 0), "1")), 1);
  EXPECT_EQ(sql::python_str(oracle::convert_number(column(SQL_DECIMAL, 38, 0), "1")), "1");
  EXPECT_EQ(sql::to_json(oracle::convert_number(column(SQL_DECIMAL, 38, 0),
                                                "12345678901234567890123456789012345678")),
            "12345678901234567890123456789012345678")
      << "past 64 bits: exact text, as the SQL family sends such integers";
  EXPECT_EQ(sql::to_json(oracle::convert_number(column(SQL_DECIMAL, 10, 2), "-0.5")), -0.5);
  // NUMBER without precision: scale unknown, kept exact.
  EXPECT_EQ(sql::to_json(oracle::convert_number(column(SQL_DECIMAL, 0, 0), "3.14")), 3.14);
  // DATE has a time of day (SQL_TYPE_TIMESTAMP), TIMESTAMP(9) is cut to microseconds.
  EXPECT_EQ(
      sql::to_json(odbc::convert_text(column(SQL_TYPE_TIMESTAMP, 19, 0), "2023-05-10 12:34:56")),
      "2023-05-10T12:34:56");
  EXPECT_EQ(sql::to_json(odbc::convert_text(column(SQL_TYPE_TIMESTAMP, 29, 9),
                                            "2023-05-10 12:34:56.123456789")),
            "2023-05-10T12:34:56.123456");
  // LONG and CLOB are long text, BLOB long binary, RAW binary, BINARY_FLOAT a float.
  EXPECT_TRUE(odbc::is_long(column(SQL_WLONGVARCHAR, 2147483647, 0), odbc::Fetch::kWideText));
  EXPECT_TRUE(odbc::is_long(column(SQL_LONGVARBINARY, 2147483647, 0), odbc::Fetch::kBinary));
  EXPECT_EQ(odbc::default_fetch(column(SQL_VARBINARY, 16, 0)), odbc::Fetch::kBinary);
  EXPECT_EQ(odbc::default_fetch(column(SQL_REAL, 7, 0)), odbc::Fetch::kReal);
  EXPECT_EQ(sql::to_json(odbc::convert_text(column(SQL_WVARCHAR, 18, 0), "AAAR3sAAEAAAACXAAA")),
            "AAAR3sAAEAAAACXAAA")
      << "ROWID";
}

json config(json overrides = json::object()) {
  json values = {
      {"host", "127.0.0.1"}, {"port", 1521},  {"username", "admin"}, {"password", "Secret_Pw_123"},
      {"database", "xe"},    {"tables", "*"}, {"retry_count", 0}};
  values.update(overrides);
  return values;
}

TEST(OracleSource, PublishesTheFrameworksFields) {
  json published = schema_to_json(oracle_schema());
  EXPECT_EQ(published.size(), 11u) << published.dump(2);
  EXPECT_EQ(published["oracle_protocol"]["display"], "dropdown");
  EXPECT_EQ(published["oracle_protocol"]["value"], "TCP");
  EXPECT_EQ(published["oracle_protocol"]["options"],
            json::parse(R"([{"label":"TCP","value":"TCP"},{"label":"TCPS","value":"TCPS"}])"));
  EXPECT_EQ(published["oracle_home"]["required"], false);
  EXPECT_EQ(published["oracle_home"]["order"], 10);
  EXPECT_EQ(published["wallet_configuration_path"]["order"], 11);
  EXPECT_EQ(published["database"]["label"], "Database");
}

TEST(OracleSource, TheSysUserAndOddDescriptorValuesAreRefused) {
  EXPECT_THROW(make_source("oracle", config({{"username", "SYS"}})), ConfigError);
  EXPECT_NO_THROW(make_source("oracle", config({{"username", "sys as sysdba"}})));
  EXPECT_THROW(make_source("oracle", config({{"oracle_protocol", "UDP"}})), ConfigError);
  EXPECT_THROW(make_source("oracle", config({{"host", "h)(PORT=1"}})), ConfigError);
  EXPECT_THROW(make_source("oracle", config({{"database", "xe)(SERVER=x"}})), ConfigError);
}

TEST(OracleSource, WithoutAClientTheErrorSaysWhatToInstall) {
  auto source = make_source("oracle", config());
  try {
    source->ping({});
    FAIL() << "no error without an Oracle client";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("no Oracle client"), std::string::npos) << message;
    EXPECT_NE(message.find("Instant Client Basic and ODBC packages"), std::string::npos) << message;
    EXPECT_NE(message.find("set oracle_home to that directory"), std::string::npos) << message;
    EXPECT_NE(message.find("FreeTDS"), std::string::npos) << "lists the installed drivers";
    EXPECT_EQ(message.find("Secret_Pw_123"), std::string::npos) << message;
  }
  auto home = std::filesystem::temp_directory_path() / ("oracle-home-" + std::to_string(getpid()));
  std::filesystem::create_directories(home / "lib");
  auto empty_home = make_source("oracle", config({{"oracle_home", home.string()}}));
  try {
    empty_home->ping({});
    FAIL() << "no error without libsqora";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("no Oracle ODBC driver (libsqora.so*) in oracle_home " +
                                         home.string()),
              std::string::npos)
        << e.what();
  }
  // A full Oracle home keeps the driver in lib/: found, then loaded by unixODBC (which fails on
  // this empty file, naming the library).
  std::ofstream(home / "lib" / "libsqora.so.19.1") << "not a library";
  EXPECT_EQ(oracle::driver_in_home(home.string()), (home / "lib" / "libsqora.so.19.1").string());
  try {
    make_source("oracle", config({{"oracle_home", home.string()}}))->ping({});
    FAIL() << "loaded a library that is not one";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("libsqora.so.19.1"), std::string::npos) << message;
    EXPECT_NE(message.find("[01000]"), std::string::npos) << message;
  }
  std::filesystem::remove_all(home);
}

}  // namespace
}  // namespace connectors::sources
