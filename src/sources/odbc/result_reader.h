// Reads a result set fetch_size rows per SQLFetch: every column that has a
// bounded size is bound column-wise (an array of fetch_size values and one of
// length indicators, SQL_ATTR_ROW_ARRAY_SIZE = fetch_size), so one driver
// call brings a whole rowset. Long columns (LOBs, text without a size limit)
// are read with SQLGetData: on each row of the rowset (SQLSetPos) when the
// driver supports SQL_GD_BLOCK and the dialect trusts it, else the rowset is
// one row. Character data is
// fetched as UTF-16 (SQL_C_WCHAR) and handed out as UTF-8, so the driver's
// ANSI code page never matters; numbers, dates, times and GUIDs as the
// driver's text (SQL_C_CHAR), floats as doubles, bits as bits, binary as
// bytes. A failed fetch is a TransientError (the stream is broken: drop the
// connection). One reader per executed statement.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sources/odbc/odbc_handles.h"

namespace connectors::sources::odbc {

// How a column's values are fetched.
enum class Fetch {
  kText,       // SQL_C_CHAR: ASCII text from the driver (numbers, dates, GUIDs)
  kWideText,   // SQL_C_WCHAR: character data, returned as UTF-8
  kBinary,     // SQL_C_BINARY
  kDouble,     // SQL_C_DOUBLE
  kReal,       // SQL_C_FLOAT (a 4-byte float, widened exactly)
  kBit,        // SQL_C_BIT
  kDate,       // SQL_C_TYPE_DATE: a struct, no text made and parsed again
  kTimestamp,  // SQL_C_TYPE_TIMESTAMP
};

// The bytes of a value of a fixed-size fetch type; 0 for text and binary.
size_t fixed_size(Fetch fetch);

struct Column {
  std::string name;
  SQLSMALLINT sql_type = SQL_UNKNOWN_TYPE;
  std::string type_name;   // the data source's own name ("int4", "nvarchar", "NUMBER")
  SQLULEN size = 0;        // column size (characters, digits, bytes); 0 = unknown
  SQLSMALLINT digits = 0;  // decimal digits (scale, fractional seconds)
  bool is_unsigned = false;
};

// The fetch type of a column, from its SQL type.
Fetch default_fetch(const Column& column);

// Whether the column is read with SQLGetData rather than bound: long SQL
// types, or a size that is unknown or larger than `max_bound` characters/bytes.
bool is_long(const Column& column, Fetch fetch, SQLULEN max_bound = 8000);

class ResultReader {
 public:
  // Reads the result of `statement`, just executed. `fetch_of` picks each
  // column's fetch type (default_fetch when empty).
  // `positioned`: long columns may be read on each row of a rowset
  // (SQLSetPos + SQLGetData) when the driver claims SQL_GD_BLOCK. Off by
  // default: MariaDB's driver claims it and then skips rows of a
  // forward-only cursor; psqlODBC does it right.
  ResultReader(Statement& statement, long long fetch_size, std::string what,
               const std::function<Fetch(const Column&)>& fetch_of = {}, bool positioned = false);

  const std::vector<Column>& columns() const { return columns_; }
  Fetch fetch_type(size_t column) const { return plans_[column].fetch; }

  // Fetches the next rowset: its number of rows, 0 at the end.
  size_t fetch();

  bool null(size_t row, size_t column) const;
  // kText and kWideText values as UTF-8; kBinary as bytes.
  std::string text(size_t row, size_t column) const;
  double number(size_t row, size_t column) const;                   // kDouble, kReal
  bool bit(size_t row, size_t column) const;                        // kBit
  SQL_DATE_STRUCT date(size_t row, size_t column) const;            // kDate
  SQL_TIMESTAMP_STRUCT timestamp(size_t row, size_t column) const;  // kTimestamp

  // How many rows one SQLFetch asks for (fetch_size, or 1; see above).
  size_t rowset_size() const { return rowset_; }

 private:
  struct Plan {
    Fetch fetch = Fetch::kWideText;
    bool bound = false;
    SQLLEN width = 0;  // bytes per value in the bound array
    std::vector<char> data;
    std::vector<SQLLEN> indicators;
    // Per row of the rowset: the values read with SQLGetData (unbound
    // columns, and bound values longer than the driver said they could be).
    std::vector<std::string> long_values;
    std::vector<char> long_null;
    std::vector<char> overflowed;
  };
  void read_row(size_t row);
  std::string get_data(size_t column, Fetch fetch, bool& is_null);
  bool truncated(const Plan& plan, size_t row) const;
  std::string_view raw(size_t row, size_t column) const;

  Statement& statement_;
  std::string what_;
  std::vector<Column> columns_;
  std::vector<Plan> plans_;
  size_t rowset_ = 1;
  bool positioned_ = false;  // SQLSetPos + SQLGetData per row
  SQLULEN fetched_ = 0;
  std::vector<char> chunk_;  // SQLGetData's buffer
  std::vector<SQLUSMALLINT> status_;
};

}  // namespace connectors::sources::odbc
