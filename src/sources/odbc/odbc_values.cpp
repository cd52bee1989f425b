#include "sources/odbc/odbc_values.h"

#include "sources/common/python_text.h"

namespace connectors::sources::odbc {
namespace {

constexpr SQLSMALLINT kSsTime2 = -154;
constexpr SQLSMALLINT kSsTimestampOffset = -155;

sql::Value or_raw(std::optional<std::string> iso, sql::Kind kind, std::string text) {
  if (iso) return sql::Value::of(kind, std::move(*iso));
  return sql::Value::of(sql::Kind::kRaw, std::move(text));
}

}  // namespace

std::optional<std::string> iso_datetime_offset(std::string_view text) {
  std::string joined(text);
  // "... 12:34:56.7890000 +02:00": the offset follows a space.
  if (auto space = joined.rfind(' '); space != std::string::npos && space + 1 < joined.size() &&
                                      (joined[space + 1] == '+' || joined[space + 1] == '-')) {
    joined.erase(space, 1);
  }
  return sql::iso_datetime(joined);
}

sql::Value convert_text(const Column& column, std::string text) {
  using sql::Kind;
  switch (column.sql_type) {
    case SQL_TINYINT:
    case SQL_SMALLINT:
    case SQL_INTEGER:
    case SQL_BIGINT:
      return sql::Value::of(Kind::kInteger, std::move(text));
    case SQL_DECIMAL:
    case SQL_NUMERIC:
      return sql::Value::of(Kind::kDecimal, std::move(text));
    case SQL_TYPE_DATE:
    case SQL_DATE:
      return or_raw(sql::iso_date(text), Kind::kDate, text);
    case SQL_TYPE_TIME:
    case SQL_TIME:
    case kSsTime2:
      return or_raw(sql::iso_time(text), Kind::kTime, text);
    case SQL_TYPE_TIMESTAMP:
    case SQL_TIMESTAMP:
      return or_raw(sql::iso_datetime(text), Kind::kDateTime, text);
    case kSsTimestampOffset:
      return or_raw(iso_datetime_offset(text), Kind::kDateTime, text);
    case SQL_GUID:
      return sql::Value::of(Kind::kRaw, common::lower(text));
    default:
      if (column.sql_type >= SQL_INTERVAL_YEAR && column.sql_type <= SQL_INTERVAL_MINUTE_TO_SECOND)
        return sql::Value::of(Kind::kRaw, std::move(text));
      return sql::Value::of(Kind::kText, std::move(text));
  }
}

sql::Value convert(const ResultReader& reader, size_t row, size_t column) {
  if (reader.null(row, column)) return sql::Value::null();
  switch (reader.fetch_type(column)) {
    case Fetch::kBit:
      return sql::Value::of_bool(reader.bit(row, column));
    case Fetch::kDouble:
    case Fetch::kReal:
      return sql::Value::of_float(reader.number(row, column));
    case Fetch::kBinary:
      return sql::Value::of(sql::Kind::kBytes, reader.text(row, column));
    default:
      return convert_text(reader.columns()[column], reader.text(row, column));
  }
}

std::string literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace connectors::sources::odbc
