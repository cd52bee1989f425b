// The value of a fetched cell as the SQL family's sql::Value, by the column's
// ODBC SQL type: the conversion every ODBC dialect starts from (a dialect
// changes what its database's driver reports differently). Integers and
// decimals stay the driver's exact text; dates and timestamps (fetched as
// structs) and times become isoformat() text; GUIDs are lower-cased (Python's str(uuid.UUID));
// intervals and types the driver does not name stay its text.
#pragma once

#include <string>
#include <string_view>

#include "sources/odbc/result_reader.h"
#include "sources/sql/values.h"

namespace connectors::sources::odbc {

sql::Value convert(const ResultReader& reader, size_t row, size_t column);

// The conversion of one non-null value of `column` given as the driver's text
// (Fetch::kText / kWideText), also for tests.
sql::Value convert_text(const Column& column, std::string text);

// A datetimeoffset's text ("2023-05-10 12:34:56.7890000 +02:00") as
// datetime.isoformat() ("2023-05-10T12:34:56.789000+02:00"); nullopt if malformed.
std::optional<std::string> iso_datetime_offset(std::string_view text);

// date.isoformat() / datetime.isoformat() of ODBC's structs ("2023-05-10",
// "2023-05-10T12:34:56.789000": microseconds when not zero, nanoseconds cut);
// a value Python's datetime cannot hold (year 0 or past 9999, a day that does
// not exist) stays text, "0000-00-00 00:00:00", as the driver would print it.
sql::Value convert_date(const SQL_DATE_STRUCT& date);
sql::Value convert_timestamp(const SQL_TIMESTAMP_STRUCT& stamp);

// SQL literal quoting: 'text' with every ' doubled.
std::string literal(std::string_view text);
// An identifier in double quotes with every " doubled (SQL standard, SQL
// Server with QUOTED_IDENTIFIER ON, Oracle, PostgreSQL).
std::string identifier(std::string_view name);

}  // namespace connectors::sources::odbc
