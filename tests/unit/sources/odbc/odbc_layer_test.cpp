// name: ODBC layer without a server
// description: connection strings (every value braced, the password masked),
// UTF-16 to UTF-8, which SQLSTATEs are retried, how each ODBC SQL type is
// fetched and converted (NULLs, odd values), the missing-driver error listing
// the drivers unixODBC knows (odbcinst.ini as scripts/install-deps.sh leaves it).
#include <gtest/gtest.h>

#include "core/errors.h"
#include "sources/odbc/connection_string.h"
#include "sources/odbc/odbc_handles.h"
#include "sources/odbc/odbc_values.h"
#include "sources/odbc/result_reader.h"
#include "sources/odbc/table_source.h"

namespace connectors::sources::odbc {
namespace {

using json = nlohmann::json;

TEST(OdbcConnectionString, BracesEveryValueAndDoublesClosingBraces) {
  EXPECT_EQ(braced("db1"), "{db1}");
  EXPECT_EQ(braced("a}b"), "{a}}b}");
  EXPECT_EQ(braced("x;PWD=y"), "{x;PWD=y}");
  ConnectionString c;
  c.set("DRIVER", "FreeTDS").set("SERVER", "h;DATABASE=evil").set("UID", "u}");
  c.set_secret("PWD", Secret("p;}{w"));
  EXPECT_EQ(c.text(), "DRIVER=FreeTDS;SERVER={h;DATABASE=evil};UID={u}}};PWD={p;}}{w};");
  EXPECT_EQ(c.masked(), "DRIVER=FreeTDS;SERVER={h;DATABASE=evil};UID={u}}};PWD={***};");
  // Plain values stay plain (psqlODBC would read PORT={5432} as "{5432}"); anything else is braced.
  EXPECT_FALSE(needs_braces("db-1.example.com"));
  EXPECT_FALSE(needs_braces("tcp:host,1433"));
  for (const char* odd : {"", "a b", "x;y", "k=v", "{x", "x}", " lead", "t\u00e9"}) {
    EXPECT_TRUE(needs_braces(odd)) << odd;
  }
  ConnectionString spaced;
  spaced.set("DRIVER", "ODBC Driver 18 for SQL Server").set("PORT", "1433");
  EXPECT_EQ(spaced.text(), "DRIVER={ODBC Driver 18 for SQL Server};PORT=1433;");
  EXPECT_EQ(c.get("pwd"), "***");
  c.set("server", "other");  // keys compare without case: replaced, not added
  EXPECT_EQ(c.get("SERVER"), "other");
  EXPECT_EQ(c.masked().find("evil"), std::string::npos);
}

TEST(OdbcText, Utf16BecomesUtf8) {
  std::u16string text = u"h\u00e9\u20ac\U0001F600";
  auto out = utf8_from_utf16(reinterpret_cast<const SQLWCHAR*>(text.data()), text.size());
  EXPECT_EQ(out, "h\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  std::u16string lone = {u'a', 0xD800, u'b'};
  EXPECT_EQ(utf8_from_utf16(reinterpret_cast<const SQLWCHAR*>(lone.data()), lone.size()),
            "a\xef\xbf\xbd"
            "b");
}

TEST(OdbcErrors, ConnectionFailuresAndTimeoutsAreRetried) {
  for (const char* state : {"08001", "08S01", "08004", "HYT00", "HYT01", "40001"})
    EXPECT_TRUE(transient_state(state)) << state;
  for (const char* state : {"28000", "42S02", "42000", "IM002", "22003"})
    EXPECT_FALSE(transient_state(state)) << state;
}

Column column(SQLSMALLINT type, SQLULEN size = 10, SQLSMALLINT digits = 0) {
  Column c;
  c.name = "c";
  c.sql_type = type;
  c.size = size;
  c.digits = digits;
  return c;
}

json converted(SQLSMALLINT type, const std::string& text, SQLULEN size = 10,
               SQLSMALLINT digits = 0) {
  return sql::to_json(convert_text(column(type, size, digits), text));
}

TEST(OdbcValues, EachSqlTypeConverts) {
  EXPECT_EQ(converted(SQL_INTEGER, "-42"), -42);
  EXPECT_EQ(converted(SQL_BIGINT, "9223372036854775807").dump(), "9223372036854775807");
  EXPECT_EQ(converted(SQL_BIGINT, "18446744073709551615").dump(), "18446744073709551615");
  EXPECT_EQ(converted(SQL_TINYINT, "255"), 255);
  EXPECT_EQ(converted(SQL_DECIMAL, "1234.50"), 1234.5);
  EXPECT_EQ(converted(SQL_NUMERIC, "12345678901234567890123456.789012"),
            "12345678901234567890123456.789012")
      << "a decimal a double cannot hold stays exact text";
  EXPECT_EQ(converted(SQL_TYPE_DATE, "2023-05-10"), "2023-05-10");
  EXPECT_EQ(converted(SQL_TYPE_TIMESTAMP, "2023-05-10 12:34:56.7890000"),
            "2023-05-10T12:34:56.789000");
  EXPECT_EQ(converted(SQL_TYPE_TIMESTAMP, "2023-05-10 12:34:56.000"), "2023-05-10T12:34:56");
  EXPECT_EQ(converted(SQL_TYPE_TIME, "08:09:10"), "08:09:10");
  EXPECT_EQ(converted(-154, "08:09:10.1234567"), "08:09:10.123456");  // SQL Server time(7)
  EXPECT_EQ(converted(-155, "2023-05-10 12:34:56.7890000 +02:00"),
            "2023-05-10T12:34:56.789000+02:00");  // datetimeoffset
  EXPECT_EQ(converted(-155, "2023-05-10 12:34:56 -05:30"), "2023-05-10T12:34:56-05:30");
  EXPECT_EQ(converted(SQL_GUID, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
      << "Python's str(uuid.UUID) is lower-case";
  EXPECT_EQ(converted(SQL_WVARCHAR, "h\xc3\xa9llo"), "h\xc3\xa9llo");
  EXPECT_EQ(converted(SQL_INTERVAL_DAY_TO_SECOND, "1 02:03:04"), "1 02:03:04");
  // Odd values a driver may print: kept as the driver's text, never a wrong date.
  EXPECT_EQ(converted(SQL_TYPE_DATE, "0000-00-00"), "0000-00-00");
  EXPECT_EQ(converted(SQL_TYPE_TIMESTAMP, "10000-01-01 00:00:00"), "10000-01-01 00:00:00");
  EXPECT_EQ(converted(SQL_VARCHAR, ""), "");
}

// Dates and timestamps come as ODBC's structs (no text printed by the driver and parsed again).
TEST(OdbcValues, DateAndTimestampStructsBecomeIsoformat) {
  auto stamp = [](int y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                  unsigned ns) {
    SQL_TIMESTAMP_STRUCT t{};
    t.year = static_cast<SQLSMALLINT>(y);
    t.month = static_cast<SQLUSMALLINT>(mo);
    t.day = static_cast<SQLUSMALLINT>(d);
    t.hour = static_cast<SQLUSMALLINT>(h);
    t.minute = static_cast<SQLUSMALLINT>(mi);
    t.second = static_cast<SQLUSMALLINT>(s);
    t.fraction = ns;
    return sql::to_json(convert_timestamp(t));
  };
  EXPECT_EQ(stamp(2023, 5, 10, 12, 34, 56, 790000000), "2023-05-10T12:34:56.790000");
  EXPECT_EQ(stamp(9999, 12, 31, 23, 59, 59, 999999900), "9999-12-31T23:59:59.999999")
      << "datetime2(7): the 7th digit is cut, as Python keeps microseconds";
  EXPECT_EQ(stamp(2024, 2, 29, 0, 0, 0, 0), "2024-02-29T00:00:00");
  EXPECT_EQ(stamp(1, 1, 1, 0, 0, 0, 500), "0001-01-01T00:00:00") << "under a microsecond";
  // What Python's datetime cannot hold stays text, as the driver would print it.
  EXPECT_EQ(stamp(0, 0, 0, 0, 0, 0, 0), "0000-00-00 00:00:00");
  EXPECT_EQ(stamp(2023, 2, 29, 1, 2, 3, 0), "2023-02-29 01:02:03");
  EXPECT_EQ(convert_timestamp(SQL_TIMESTAMP_STRUCT{}).kind, sql::Kind::kRaw);
  SQL_DATE_STRUCT day{2023, 5, 10};
  EXPECT_EQ(sql::to_json(convert_date(day)), "2023-05-10");
  EXPECT_EQ(convert_date(day).kind, sql::Kind::kDate);
  SQL_DATE_STRUCT zero{0, 0, 0};
  EXPECT_EQ(sql::to_json(convert_date(zero)), "0000-00-00");
  EXPECT_EQ(convert_date(zero).kind, sql::Kind::kRaw);
  EXPECT_EQ(sql::python_str(convert_timestamp(SQL_TIMESTAMP_STRUCT{2023, 5, 10, 12, 0, 0, 0})),
            "2023-05-10 12:00:00");
}

TEST(OdbcValues, PythonStrOfKeysBuildsTheFrameworksIds) {
  auto guid = convert_text(column(SQL_GUID), "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11");
  auto decimal = convert_text(column(SQL_DECIMAL), "12.50");
  auto stamp = convert_text(column(SQL_TYPE_TIMESTAMP), "2023-05-10 12:00:00");
  EXPECT_EQ(sql::python_str(guid), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(sql::python_str(decimal), "12.50");
  EXPECT_EQ(sql::python_str(stamp), "2023-05-10 12:00:00");
}

TEST(OdbcFetch, FixedSizeColumnsAreBoundAndLongOnesRead) {
  EXPECT_EQ(default_fetch(column(SQL_BIT)), Fetch::kBit);
  EXPECT_EQ(default_fetch(column(SQL_REAL)), Fetch::kReal);
  EXPECT_EQ(default_fetch(column(SQL_FLOAT)), Fetch::kDouble);
  EXPECT_EQ(default_fetch(column(SQL_DOUBLE)), Fetch::kDouble);
  EXPECT_EQ(default_fetch(column(SQL_DECIMAL)), Fetch::kText);
  EXPECT_EQ(default_fetch(column(SQL_GUID)), Fetch::kText);
  EXPECT_EQ(default_fetch(column(SQL_TYPE_DATE)), Fetch::kDate);
  EXPECT_EQ(default_fetch(column(SQL_TYPE_TIMESTAMP)), Fetch::kTimestamp);
  EXPECT_EQ(default_fetch(column(SQL_TYPE_TIME)), Fetch::kText);
  EXPECT_FALSE(is_long(column(SQL_TYPE_TIMESTAMP, 0), Fetch::kTimestamp));
  EXPECT_EQ(default_fetch(column(SQL_VARBINARY)), Fetch::kBinary);
  EXPECT_EQ(default_fetch(column(SQL_VARCHAR)), Fetch::kWideText);
  EXPECT_EQ(default_fetch(column(-152)), Fetch::kWideText);  // SQL Server xml
  EXPECT_FALSE(is_long(column(SQL_WVARCHAR, 255), Fetch::kWideText));
  EXPECT_TRUE(is_long(column(SQL_WVARCHAR, 0), Fetch::kWideText)) << "nvarchar(max)";
  EXPECT_TRUE(is_long(column(SQL_WLONGVARCHAR, 100), Fetch::kWideText));
  EXPECT_TRUE(is_long(column(SQL_LONGVARBINARY, 100), Fetch::kBinary));
  EXPECT_TRUE(is_long(column(SQL_VARCHAR, 1000000), Fetch::kWideText));
  EXPECT_FALSE(is_long(column(SQL_DOUBLE, 0), Fetch::kDouble));
}

TEST(OdbcQuoting, LiteralsAndIdentifiersDoubleTheirQuotes) {
  EXPECT_EQ(literal("o'brien"), "'o''brien'");
  EXPECT_EQ(identifier("a\"b"), "\"a\"\"b\"");
}

TEST(OdbcDrivers, AMissingDriverIsNamedWithTheInstalledOnes) {
  Environment env;
  auto installed = env.drivers();
  ASSERT_NE(std::find(installed.begin(), installed.end(), "FreeTDS"), installed.end())
      << "scripts/install-deps.sh installs tdsodbc, which registers FreeTDS";
  EXPECT_NO_THROW(require_driver(env, "mssql", "freetds", ""));
  try {
    require_driver(env, "mssql", "ODBC Driver 18 for SQL Server", "install msodbcsql18");
    FAIL() << "no error for a driver that is not installed";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("'ODBC Driver 18 for SQL Server' is not installed"), std::string::npos)
        << message;
    EXPECT_NE(message.find("FreeTDS"), std::string::npos) << message;
    EXPECT_NE(message.find("install msodbcsql18"), std::string::npos) << message;
  }
  EXPECT_THROW(require_driver(env, "oracle", "/nonexistent/libsqora.so.19.1", ""), SourceError);
}

}  // namespace
}  // namespace connectors::sources::odbc
