#include "sources/odbc/result_reader.h"

#include <algorithm>
#include <cstring>

namespace connectors::sources::odbc {
namespace {

constexpr SQLSMALLINT kSsTime2 = -154;            // SQL Server time(n)
constexpr SQLSMALLINT kSsTimestampOffset = -155;  // SQL Server datetimeoffset(n)

bool ok(SQLRETURN rc) { return rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO; }

SQLSMALLINT c_type(Fetch fetch) {
  switch (fetch) {
    case Fetch::kText:
      return SQL_C_CHAR;
    case Fetch::kWideText:
      return SQL_C_WCHAR;
    case Fetch::kBinary:
      return SQL_C_BINARY;
    case Fetch::kDouble:
      return SQL_C_DOUBLE;
    case Fetch::kReal:
      return SQL_C_FLOAT;
    case Fetch::kBit:
      return SQL_C_BIT;
    case Fetch::kDate:
      return SQL_C_TYPE_DATE;
    case Fetch::kTimestamp:
      return SQL_C_TYPE_TIMESTAMP;
  }
  return SQL_C_CHAR;
}

// Bytes per bound value (with room for the terminator of text).
SQLLEN width(const Column& column, Fetch fetch) {
  auto size = static_cast<SQLLEN>(column.size);
  switch (fetch) {
    case Fetch::kText:
      return std::max<SQLLEN>(size, 0) + 64;  // sign, point, exponent, time zone
    case Fetch::kWideText:
      // A character may take two UTF-16 units (MySQL counts code points).
      return (2 * size + 1) * static_cast<SQLLEN>(sizeof(SQLWCHAR));
    case Fetch::kBinary:
      return std::max<SQLLEN>(size, 1);
    default:
      return static_cast<SQLLEN>(fixed_size(fetch));
  }
}

}  // namespace

size_t fixed_size(Fetch fetch) {
  switch (fetch) {
    case Fetch::kDouble:
      return sizeof(double);
    case Fetch::kReal:
      return sizeof(float);
    case Fetch::kBit:
      return 1;
    case Fetch::kDate:
      return sizeof(SQL_DATE_STRUCT);
    case Fetch::kTimestamp:
      return sizeof(SQL_TIMESTAMP_STRUCT);
    default:
      return 0;
  }
}

Fetch default_fetch(const Column& column) {
  switch (column.sql_type) {
    case SQL_BIT:
      return Fetch::kBit;
    case SQL_REAL:
      return Fetch::kReal;
    case SQL_FLOAT:
    case SQL_DOUBLE:
      return Fetch::kDouble;
    case SQL_TINYINT:
    case SQL_SMALLINT:
    case SQL_INTEGER:
    case SQL_BIGINT:
    case SQL_DECIMAL:
    case SQL_NUMERIC:
    case SQL_TYPE_TIME:
    case SQL_TIME:
    case SQL_GUID:
    case kSsTime2:
    case kSsTimestampOffset:
      return Fetch::kText;
    case SQL_TYPE_DATE:
    case SQL_DATE:
      return Fetch::kDate;
    case SQL_TYPE_TIMESTAMP:
    case SQL_TIMESTAMP:
      return Fetch::kTimestamp;
    case SQL_BINARY:
    case SQL_VARBINARY:
    case SQL_LONGVARBINARY:
      return Fetch::kBinary;
    default:
      if (column.sql_type >= SQL_INTERVAL_YEAR && column.sql_type <= SQL_INTERVAL_MINUTE_TO_SECOND)
        return Fetch::kText;
      return Fetch::kWideText;
  }
}

bool is_long(const Column& column, Fetch fetch, SQLULEN max_bound) {
  if (fixed_size(fetch) > 0) return false;
  switch (column.sql_type) {
    case SQL_LONGVARCHAR:
    case SQL_WLONGVARCHAR:
    case SQL_LONGVARBINARY:
      return true;
    default:
      return column.size == 0 || column.size > max_bound;
  }
}

ResultReader::ResultReader(Statement& statement, long long fetch_size, std::string what,
                           const std::function<Fetch(const Column&)>& fetch_of, bool positioned)
    : statement_(statement), what_(std::move(what)) {
  SQLHSTMT stmt = statement.handle();
  SQLSMALLINT count = 0;
  if (!ok(SQLNumResultCols(stmt, &count))) statement.fail(what_);
  for (SQLUSMALLINT i = 1; i <= count; ++i) {
    Column column;
    SQLWCHAR name[512];
    SQLSMALLINT name_length = 0;
    SQLSMALLINT nullable = 0;
    if (!ok(SQLDescribeColW(stmt, i, name, sizeof name / sizeof name[0], &name_length,
                            &column.sql_type, &column.size, &column.digits, &nullable))) {
      statement.fail(what_);
    }
    column.name = utf8_from_utf16(
        name, std::min<size_t>(static_cast<size_t>(std::max<SQLSMALLINT>(name_length, 0)),
                               sizeof name / sizeof name[0] - 1));
    SQLCHAR type_name[256] = {};
    SQLSMALLINT type_length = 0;
    if (ok(SQLColAttribute(stmt, i, SQL_DESC_TYPE_NAME, type_name, sizeof type_name, &type_length,
                           nullptr))) {
      column.type_name = reinterpret_cast<const char*>(type_name);
    }
    SQLLEN is_unsigned = SQL_FALSE;
    if (ok(SQLColAttribute(stmt, i, SQL_DESC_UNSIGNED, nullptr, 0, nullptr, &is_unsigned))) {
      column.is_unsigned = is_unsigned == SQL_TRUE;
    }
    columns_.push_back(std::move(column));
  }

  // Which columns are bound, and how many rows a fetch brings.
  const Connection& connection = statement.connection();
  plans_.resize(columns_.size());
  bool any_long = false;
  for (size_t c = 0; c < columns_.size(); ++c) {
    plans_[c].fetch = fetch_of ? fetch_of(columns_[c]) : default_fetch(columns_[c]);
    plans_[c].bound = !is_long(columns_[c], plans_[c].fetch);
    any_long = any_long || !plans_[c].bound;
  }
  if (any_long && !connection.get_data_any_column()) {
    // Unbound columns must come after the bound ones: read the rest with SQLGetData too.
    bool after_long = false;
    for (auto& plan : plans_) {
      after_long = after_long || !plan.bound;
      if (after_long) plan.bound = false;
    }
  }
  // Also without long columns: a bound value longer than declared is re-read there.
  positioned_ = positioned && connection.get_data_in_blocks();
  rowset_ = !any_long || positioned_ ? static_cast<size_t>(std::max(1LL, fetch_size)) : 1;

  SQLSetStmtAttr(stmt, SQL_ATTR_ROW_BIND_TYPE, reinterpret_cast<SQLPOINTER>(SQL_BIND_BY_COLUMN), 0);
  if (!ok(SQLSetStmtAttr(stmt, SQL_ATTR_ROW_ARRAY_SIZE,
                         reinterpret_cast<SQLPOINTER>(static_cast<SQLULEN>(rowset_)), 0))) {
    rowset_ = 1;  // a driver without block cursors
    positioned_ = false;
  }
  status_.assign(rowset_, SQL_ROW_SUCCESS);
  SQLSetStmtAttr(stmt, SQL_ATTR_ROWS_FETCHED_PTR, &fetched_, 0);
  SQLSetStmtAttr(stmt, SQL_ATTR_ROW_STATUS_PTR, status_.data(), 0);
  for (size_t c = 0; c < columns_.size(); ++c) {
    Plan& plan = plans_[c];
    plan.long_values.assign(rowset_, {});
    plan.long_null.assign(rowset_, 0);
    plan.overflowed.assign(rowset_, 0);
    if (!plan.bound) continue;
    plan.width = width(columns_[c], plan.fetch);
    plan.data.assign(static_cast<size_t>(plan.width) * rowset_, 0);
    plan.indicators.assign(rowset_, 0);
    if (!ok(SQLBindCol(stmt, static_cast<SQLUSMALLINT>(c + 1), c_type(plan.fetch), plan.data.data(),
                       plan.width, plan.indicators.data()))) {
      statement.fail(what_);
    }
  }
}

size_t ResultReader::fetch() {
  SQLRETURN rc = SQLFetch(statement_.handle());
  if (rc == SQL_NO_DATA) return 0;
  if (!ok(rc)) statement_.fail(what_, true);
  size_t rows = rowset_ == 1 ? 1 : static_cast<size_t>(fetched_);
  for (size_t r = 0; r < rows; ++r) {
    if (rowset_ > 1 && status_[r] == SQL_ROW_ERROR) statement_.fail(what_, true);
    read_row(r);
  }
  return rows;
}

bool ResultReader::truncated(const Plan& plan, size_t row) const {
  SQLLEN length = plan.indicators[row];
  if (length == SQL_NULL_DATA) return false;
  if (length == SQL_NO_TOTAL) return true;
  switch (plan.fetch) {
    case Fetch::kText:
      return length >= plan.width;
    case Fetch::kWideText:
      return length > plan.width - static_cast<SQLLEN>(sizeof(SQLWCHAR));
    case Fetch::kBinary:
      return length > plan.width;
    default:
      return false;
  }
}

void ResultReader::read_row(size_t row) {
  bool positioned = false;
  auto position = [&] {
    if (positioned || !positioned_) return;
    if (!ok(SQLSetPos(statement_.handle(), static_cast<SQLSETPOSIROW>(row + 1), SQL_POSITION,
                      SQL_LOCK_NO_CHANGE))) {
      statement_.fail(what_, true);
    }
    positioned = true;
  };
  for (size_t c = 0; c < plans_.size(); ++c) {
    Plan& plan = plans_[c];
    plan.overflowed[row] = 0;
    if (plan.bound) {
      if (!truncated(plan, row)) continue;
      // The driver declared a size the value exceeds: read it whole.
      if (rowset_ > 1 && !positioned_) {
        throw Error(what_ + ": column " + columns_[c].name + " holds a value longer than the " +
                        std::to_string(columns_[c].size) + " the driver declared",
                    "01004");
      }
      position();
      plan.overflowed[row] = 1;
    } else {
      position();
    }
    bool is_null = false;
    plan.long_values[row] = get_data(c, plan.fetch, is_null);
    plan.long_null[row] = is_null ? 1 : 0;
  }
}

std::string ResultReader::get_data(size_t column, Fetch fetch, bool& is_null) {
  SQLHSTMT stmt = statement_.handle();
  auto number = static_cast<SQLUSMALLINT>(column + 1);
  std::string out;
  is_null = false;
  if (size_t size = fixed_size(fetch)) {
    char buffer[sizeof(SQL_TIMESTAMP_STRUCT)] = {};
    SQLLEN indicator = 0;
    if (!ok(SQLGetData(stmt, number, c_type(fetch), buffer, sizeof buffer, &indicator)))
      statement_.fail(what_, true);
    is_null = indicator == SQL_NULL_DATA;
    out.assign(buffer, size);
    return out;
  }
  // Text comes with a terminator in every chunk: one byte, or one UTF-16 unit.
  size_t terminator = fetch == Fetch::kText ? 1 : fetch == Fetch::kWideText ? sizeof(SQLWCHAR) : 0;
  std::vector<char>& chunk = chunk_;  // kept between calls: no allocation per value
  if (chunk.size() < 32 * 1024) chunk.resize(32 * 1024);
  while (true) {
    SQLLEN indicator = 0;
    SQLRETURN rc = SQLGetData(stmt, number, c_type(fetch), chunk.data(),
                              static_cast<SQLLEN>(chunk.size()), &indicator);
    if (rc == SQL_NO_DATA) break;
    if (!ok(rc)) statement_.fail(what_, true);
    if (indicator == SQL_NULL_DATA) {
      is_null = true;
      return {};
    }
    size_t available = chunk.size() - terminator;
    bool more = rc == SQL_SUCCESS_WITH_INFO &&
                (indicator == SQL_NO_TOTAL || static_cast<size_t>(indicator) > available);
    size_t got = more ? available : static_cast<size_t>(indicator);
    if (more && indicator != SQL_NO_TOTAL && out.empty()) {
      out.reserve(static_cast<size_t>(indicator));
      // A big value: read the rest in fewer calls.
      if (chunk.size() < 1024 * 1024) chunk.resize(std::min<size_t>(1024 * 1024, indicator + 8));
    }
    out.append(chunk.data(), got);
    if (!more) break;
  }
  return out;
}

std::string_view ResultReader::raw(size_t row, size_t column) const {
  const Plan& plan = plans_[column];
  if (!plan.bound || plan.overflowed[row]) return plan.long_values[row];
  SQLLEN length = plan.indicators[row];
  const char* data = plan.data.data() + static_cast<size_t>(plan.width) * row;
  if (size_t size = fixed_size(plan.fetch)) return {data, size};
  return {data, static_cast<size_t>(std::max<SQLLEN>(length, 0))};
}

bool ResultReader::null(size_t row, size_t column) const {
  const Plan& plan = plans_[column];
  if (!plan.bound || plan.overflowed[row]) return plan.long_null[row] != 0;
  return plan.indicators[row] == SQL_NULL_DATA;
}

std::string ResultReader::text(size_t row, size_t column) const {
  std::string_view bytes = raw(row, column);
  if (plans_[column].fetch != Fetch::kWideText) return std::string(bytes);
  return utf8_from_utf16_bytes(bytes);
}

double ResultReader::number(size_t row, size_t column) const {
  std::string_view bytes = raw(row, column);
  if (plans_[column].fetch == Fetch::kReal) {
    float f = 0;
    std::memcpy(&f, bytes.data(), sizeof f);
    return f;
  }
  double d = 0;
  std::memcpy(&d, bytes.data(), sizeof d);
  return d;
}

SQL_DATE_STRUCT ResultReader::date(size_t row, size_t column) const {
  SQL_DATE_STRUCT out{};
  std::string_view bytes = raw(row, column);
  std::memcpy(&out, bytes.data(), std::min(bytes.size(), sizeof out));
  return out;
}

SQL_TIMESTAMP_STRUCT ResultReader::timestamp(size_t row, size_t column) const {
  SQL_TIMESTAMP_STRUCT out{};
  std::string_view bytes = raw(row, column);
  std::memcpy(&out, bytes.data(), std::min(bytes.size(), sizeof out));
  return out;
}

bool ResultReader::bit(size_t row, size_t column) const {
  std::string_view bytes = raw(row, column);
  return !bytes.empty() && bytes[0] != 0;
}

}  // namespace connectors::sources::odbc
