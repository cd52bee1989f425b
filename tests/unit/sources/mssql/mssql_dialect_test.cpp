// name: Microsoft SQL Server dialect without a server
// description: the mssql source's fields (framework 8.8 + the seeds'
// mssql_driver and secured_connection), its exact queries, connection strings
// for FreeTDS and Microsoft's driver, ids and column names
// (reference/sources.md §2.4), value conversion per SQL Server type (the
// types' ODBC mappings from Microsoft's documentation), and FreeTDS failing
// cleanly against a closed port.
#include "sources/mssql/mssql_dialect.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/errors.h"
#include "sources/mssql/mssql_source.h"
#include "sources/registry.h"

namespace connectors::sources {
namespace {

using json = nlohmann::json;

mssql::Settings settings() {
  mssql::Settings s;
  s.endpoint.host = "db.example";
  s.endpoint.port = 1433;
  s.endpoint.user = "admin";
  s.endpoint.password = Secret("Pass;word}1");
  s.endpoint.database = "xe";
  return s;
}

const odbc::Table kCustomers{"dbo", "customers_0"};

TEST(MssqlDialect, TheFrameworksQueries) {
  mssql::Dialect d(settings());
  EXPECT_EQ(d.ping_query(), "SELECT 1+1");
  EXPECT_EQ(d.tables_query(),
            "SELECT table_name FROM information_schema.tables WHERE TABLE_SCHEMA = 'dbo'");
  EXPECT_EQ(d.primary_key_query(kCustomers),
            "SELECT C.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS T JOIN "
            "INFORMATION_SCHEMA.CONSTRAINT_COLUMN_USAGE C ON C.CONSTRAINT_NAME=T.CONSTRAINT_NAME "
            "WHERE C.TABLE_NAME='customers_0' and C.TABLE_SCHEMA='dbo' and "
            "T.CONSTRAINT_TYPE='PRIMARY KEY'");
  EXPECT_EQ(d.data_query(kCustomers), "SELECT * FROM \"dbo\".\"customers_0\"");
  EXPECT_EQ(d.count_query(kCustomers), "SELECT COUNT(*) FROM \"dbo\".\"customers_0\"");
  EXPECT_EQ(d.last_update_query(kCustomers),
            "SELECT MAX(last_user_update) FROM sys.dm_db_index_usage_stats WHERE "
            "object_id=object_id('[dbo].[customers_0]')");
  // Odd names cannot leave their quotes.
  odbc::Table odd{"s'x", "t\"]'"};
  EXPECT_EQ(d.data_query(odd), "SELECT * FROM \"s'x\".\"t\"\"]'\"");
  EXPECT_NE(d.primary_key_query(odd).find("C.TABLE_NAME='t\"]''' and C.TABLE_SCHEMA='s''x'"),
            std::string::npos)
      << d.primary_key_query(odd);
  EXPECT_NE(d.last_update_query(odd).find("object_id('[s''x].[t\"]]'']')"), std::string::npos)
      << d.last_update_query(odd);
}

TEST(MssqlDialect, TablesOfTheSchemaAndTheSkippedMsdbTable) {
  auto s = settings();
  s.schema = "sales";
  mssql::Dialect d(s);
  std::string asked;
  auto tables = d.all_tables([&](const std::string& sql) {
    asked = sql;
    return std::vector<std::string>{"orders", "lines"};
  });
  EXPECT_NE(asked.find("TABLE_SCHEMA = 'sales'"), std::string::npos);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[1].schema, "sales");
  EXPECT_EQ(tables[1].name, "lines");
  odbc::Table internal{"dbo", "sysutility_ucp_configuration_internal"};
  EXPECT_FALSE(d.skipped(internal));
  s.endpoint.database = "msdb";
  EXPECT_TRUE(mssql::Dialect(s).skipped(internal));
}

TEST(MssqlDialect, IdsColumnsAndFields) {
  mssql::Dialect d(settings());
  EXPECT_EQ(d.column_name(kCustomers, "Name"), "dbo_customers_0_name");
  auto name = sql::Value::of(sql::Kind::kText, "user_5");
  auto zero = sql::Value::of(sql::Kind::kInteger, "0");
  auto null = sql::Value::null();
  auto line = sql::Value::of(sql::Kind::kInteger, "2");
  EXPECT_EQ(d.document_id(kCustomers, {&name}), "xe_dbo_customers_0_user_5_");
  EXPECT_EQ(d.document_id(kCustomers, {&zero, &line, &null}), "xe_dbo_customers_0_2_")
      << "falsy key values are dropped, as generic_database@8.8 does";
  EXPECT_EQ(d.extra_fields(kCustomers),
            json({{"Database", "xe"}, {"Table", "customers_0"}, {"schema", "dbo"}}));
}

TEST(MssqlDialect, FreeTdsConnectionString) {
  auto s = settings();
  mssql::Dialect plain(s);
  auto c = plain.connection_string("FreeTDS");
  EXPECT_EQ(c.masked(),
            "DRIVER=FreeTDS;SERVER=db.example;PORT=1433;DATABASE=xe;UID=admin;"
            "PWD={***};TDS_Version=7.4;ClientCharset=UTF-8;");
  EXPECT_NE(c.text().find("PWD={Pass;word}}1};"), std::string::npos);
  s.encrypt = true;
  s.ca_file = "/tmp/ca.pem";
  s.validate_host = true;
  EXPECT_TRUE(
      mssql::Dialect(s)
          .connection_string("/usr/lib/x86_64-linux-gnu/odbc/libtdsodbc.so")
          .masked()
          .ends_with("UID=admin;PWD={***};TDS_Version=7.4;ClientCharset=UTF-8;Encryption=require;"
                     "ca file=/tmp/ca.pem;check certificate hostname=yes;"));
}

TEST(MssqlDialect, MicrosoftDriverConnectionString) {
  auto s = settings();
  const std::string driver = "ODBC Driver 18 for SQL Server";
  EXPECT_EQ(mssql::Dialect(s).connection_string(driver).masked(),
            "DRIVER={ODBC Driver 18 for SQL Server};SERVER=tcp:db.example,1433;DATABASE=xe;"
            "UID=admin;PWD={***};TrustServerCertificate=yes;");
  s.encrypt = true;
  EXPECT_TRUE(mssql::Dialect(s).connection_string(driver).masked().ends_with(
      "PWD={***};Encrypt=yes;TrustServerCertificate=no;"));
}

TEST(MssqlDialect, SessionLiftsFreeTdsTextLimit) {
  EXPECT_EQ(mssql::Dialect(settings()).session_setup(),
            std::vector<std::string>{"SET TEXTSIZE 2147483647"});
}

// SQL Server types as Microsoft's ODBC driver describes them ("Data type
// mapping" of the ODBC driver docs), with the text the driver prints.
struct TypeCase {
  const char* type;
  SQLSMALLINT sql_type;
  SQLULEN size;
  SQLSMALLINT digits;
  const char* text;  // nullptr: NULL
  json expected;
  odbc::Fetch fetch;
  bool is_long;
};

TEST(MssqlDialect, EverySqlServerTypeConverts) {
  const TypeCase cases[] = {
      {"bigint", SQL_BIGINT, 19, 0, "-9223372036854775808", json(INT64_MIN), odbc::Fetch::kText,
       false},
      {"int", SQL_INTEGER, 10, 0, "2147483647", 2147483647, odbc::Fetch::kText, false},
      {"smallint", SQL_SMALLINT, 5, 0, "-32768", -32768, odbc::Fetch::kText, false},
      {"tinyint", SQL_TINYINT, 3, 0, "255", 255, odbc::Fetch::kText, false},
      {"decimal(38,10)", SQL_DECIMAL, 38, 10, "1234567890123456789012345678.0123456789",
       "1234567890123456789012345678.0123456789", odbc::Fetch::kText, false},
      {"numeric(10,2)", SQL_NUMERIC, 10, 2, "12.50", 12.5, odbc::Fetch::kText, false},
      {"money", SQL_DECIMAL, 19, 4, "-922337203685477.5808", "-922337203685477.5808",
       odbc::Fetch::kText, false},
      {"smallmoney", SQL_DECIMAL, 10, 4, "12.3400", 12.34, odbc::Fetch::kText, false},
      {"date", SQL_TYPE_DATE, 10, 0, "0001-01-01", "0001-01-01", odbc::Fetch::kDate, false},
      {"datetime", SQL_TYPE_TIMESTAMP, 23, 3, "2023-05-10 12:34:56.790",
       "2023-05-10T12:34:56.790000", odbc::Fetch::kTimestamp, false},
      {"datetime2(7)", SQL_TYPE_TIMESTAMP, 27, 7, "9999-12-31 23:59:59.9999999",
       "9999-12-31T23:59:59.999999", odbc::Fetch::kTimestamp, false},
      {"smalldatetime", SQL_TYPE_TIMESTAMP, 16, 0, "2023-05-10 12:35:00", "2023-05-10T12:35:00",
       odbc::Fetch::kTimestamp, false},
      {"datetimeoffset", -155, 34, 7, "2023-05-10 12:34:56.1230000 +14:00",
       "2023-05-10T12:34:56.123000+14:00", odbc::Fetch::kText, false},
      {"time(7)", -154, 16, 7, "23:59:59.9999999", "23:59:59.999999", odbc::Fetch::kText, false},
      {"uniqueidentifier", SQL_GUID, 36, 0, "6F9619FF-8B86-D011-B42D-00C04FC964FF",
       "6f9619ff-8b86-d011-b42d-00c04fc964ff", odbc::Fetch::kText, false},
      {"char(5)", SQL_CHAR, 5, 0, "ab   ", "ab   ", odbc::Fetch::kWideText, false},
      {"nvarchar(40)", SQL_WVARCHAR, 40, 0, "\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac",
       odbc::Fetch::kWideText, false},
      {"nvarchar(max)", SQL_WVARCHAR, 0, 0, "long", "long", odbc::Fetch::kWideText, true},
      {"text", SQL_LONGVARCHAR, 2147483647, 0, "old", "old", odbc::Fetch::kWideText, true},
      {"ntext", SQL_WLONGVARCHAR, 1073741823, 0, "old", "old", odbc::Fetch::kWideText, true},
      {"xml", -152, 0, 0, "<a/>", "<a/>", odbc::Fetch::kWideText, true},
      {"sql_variant", -150, 8000, 0, "42", "42", odbc::Fetch::kWideText, false},
      {"int NULL", SQL_INTEGER, 10, 0, nullptr, nullptr, odbc::Fetch::kText, false},
      {"datetime2 NULL", SQL_TYPE_TIMESTAMP, 27, 7, nullptr, nullptr, odbc::Fetch::kTimestamp,
       false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.type);
    odbc::Column column;
    column.sql_type = c.sql_type;
    column.size = c.size;
    column.digits = c.digits;
    auto fetch = odbc::default_fetch(column);
    EXPECT_EQ(fetch, c.fetch);
    EXPECT_EQ(odbc::is_long(column, fetch), c.is_long);
    auto value = c.text ? odbc::convert_text(column, c.text) : sql::Value::null();
    EXPECT_EQ(sql::to_json(value), c.expected);
  }
  // bit, float, real, binary: fetched as bits, doubles, floats and bytes.
  odbc::Column bit;
  bit.sql_type = SQL_BIT;
  EXPECT_EQ(odbc::default_fetch(bit), odbc::Fetch::kBit);
  odbc::Column real;
  real.sql_type = SQL_REAL;
  EXPECT_EQ(odbc::default_fetch(real), odbc::Fetch::kReal);
  odbc::Column image;
  image.sql_type = SQL_LONGVARBINARY;
  image.size = 2147483647;
  EXPECT_EQ(odbc::default_fetch(image), odbc::Fetch::kBinary);
  EXPECT_TRUE(odbc::is_long(image, odbc::Fetch::kBinary));
  odbc::Column rowversion;
  rowversion.sql_type = SQL_BINARY;
  rowversion.size = 8;
  EXPECT_FALSE(odbc::is_long(rowversion, odbc::Fetch::kBinary));
  EXPECT_EQ(sql::to_json(sql::Value::of(sql::Kind::kBytes, std::string("\x00\x00\x07\xd1", 4))),
            "AAAH0Q==");
}

json config(json overrides = json::object()) {
  json values = {{"host", "127.0.0.1"},         {"port", 1433},     {"username", "admin"},
                 {"password", "Secret_Pw_123"}, {"database", "xe"}, {"tables", "*"}};
  values.update(overrides);
  return values;
}

TEST(MssqlSource, PublishesTheFrameworksAndTheSeedsFields) {
  json published = schema_to_json(mssql_schema());
  std::vector<std::string> keys;
  for (const auto& [key, field] : published.items()) keys.push_back(key);
  EXPECT_EQ(published.size(), 14u) << published.dump(2);
  EXPECT_EQ(published["schema"]["value"], "dbo");
  EXPECT_EQ(published["schema"]["order"], 9);
  EXPECT_EQ(published["ssl_enabled"]["order"], 10);
  EXPECT_EQ(published["ssl_ca"]["depends_on"],
            json::parse(R"([{"field":"ssl_enabled","value":true}])"));
  EXPECT_EQ(published["validate_host"]["display"], "toggle");
  EXPECT_EQ(published["validate_host"]["value"], false);
  EXPECT_EQ(published["mssql_driver"]["value"], "ODBC Driver 18 for SQL Server");
  EXPECT_EQ(published["mssql_driver"]["required"], false);
  EXPECT_EQ(published["secured_connection"]["type"], "bool");
  EXPECT_EQ(published["password"]["sensitive"], true);
  EXPECT_EQ(published["fetch_size"]["default_value"], 50);
  EXPECT_EQ(published["retry_count"]["default_value"], 3);
}

TEST(MssqlSource, ConfigErrorsNameTheField) {
  try {
    make_source("mssql", config({{"port", 70000}}));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("(port)"), std::string::npos) << e.what();
  }
  try {
    make_source("mssql", config({{"schema", ""}}));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("Schema"), std::string::npos) << e.what();
  }
}

TEST(MssqlSource, AMissingDriverIsNamedWithTheInstalledOnes) {
  auto source = make_source("mssql", config({{"retry_count", 0}}));
  try {
    source->ping({});
    FAIL() << "no error without the driver";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("'ODBC Driver 18 for SQL Server' is not installed"), std::string::npos)
        << message;
    EXPECT_NE(message.find("FreeTDS"), std::string::npos) << message;
    EXPECT_EQ(message.find("Secret_Pw_123"), std::string::npos) << message;
  }
}

// A port nothing listens on: bound, then closed.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(MssqlSource, FreeTdsLoadsAndFailsCleanlyAgainstAClosedPort) {
  int port = closed_port();
  auto source = make_source(
      "mssql", config({{"port", port}, {"mssql_driver", "FreeTDS"}, {"retry_count", 1}}));
  auto started = std::chrono::steady_clock::now();
  try {
    source->ping({});
    FAIL() << "connected to a closed port";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("Can't connect to Microsoft SQL on 127.0.0.1"), std::string::npos)
        << message;
    EXPECT_NE(message.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << message;
    EXPECT_NE(message.find("[08"), std::string::npos) << "the driver's SQLSTATE: " << message;
    EXPECT_NE(message.find("[FreeTDS]"), std::string::npos) << "the driver's message: " << message;
    EXPECT_NE(message.find("PWD={***}"), std::string::npos) << message;
    EXPECT_EQ(message.find("Secret_Pw_123"), std::string::npos) << message;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

}  // namespace
}  // namespace connectors::sources
