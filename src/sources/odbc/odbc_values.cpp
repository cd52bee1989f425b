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

bool valid_date(int year, int month, int day) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > days[month - 1])
    return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month != 2 || day < 29 || leap;
}

}  // namespace

namespace {

// `value` as `width` digits (the last ones if it has more), appended: snprintf
// costs more than the rest of a timestamp's conversion.
void digits(std::string& out, unsigned value, int width) {
  char buffer[10];
  for (int i = width - 1; i >= 0; --i) {
    buffer[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buffer, static_cast<size_t>(width));
}

std::string date_text(int year, unsigned month, unsigned day) {
  std::string out;
  out.reserve(26);
  if (year < 0) out += '-';
  digits(out, static_cast<unsigned>(year < 0 ? -year : year), 4);
  out += '-';
  digits(out, month, 2);
  out += '-';
  digits(out, day, 2);
  return out;
}

}  // namespace

sql::Value convert_date(const SQL_DATE_STRUCT& d) {
  return sql::Value::of(valid_date(d.year, d.month, d.day) ? sql::Kind::kDate : sql::Kind::kRaw,
                        date_text(d.year, d.month, d.day));
}

sql::Value convert_timestamp(const SQL_TIMESTAMP_STRUCT& t) {
  bool valid = valid_date(t.year, t.month, t.day) && t.hour < 24 && t.minute < 60 && t.second < 60;
  std::string text = date_text(t.year, t.month, t.day);
  text += valid ? 'T' : ' ';
  digits(text, t.hour, 2);
  text += ':';
  digits(text, t.minute, 2);
  text += ':';
  digits(text, t.second, 2);
  if (unsigned micros = t.fraction / 1000; micros != 0) {
    text += '.';
    digits(text, micros, 6);
  }
  return sql::Value::of(valid ? sql::Kind::kDateTime : sql::Kind::kRaw, std::move(text));
}

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
    case Fetch::kDate:
      return convert_date(reader.date(row, column));
    case Fetch::kTimestamp:
      return convert_timestamp(reader.timestamp(row, column));
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
