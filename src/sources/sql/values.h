// A cell of a SQL result as the Python framework sees it after its driver
// (asyncpg, aiomysql) decoded it, and the two ways it becomes text: the JSON of
// the document (the framework's `BaseDataSource.serialize`, without the losses
// it has: see to_json) and Python's `str()` (document ids are built with
// f-strings of the raw values, so ids stay the framework's). Drivers hand us
// text; the PostgreSQL and MySQL sources map each column type to a Kind and
// these functions do the rest. Pure functions, value types.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sources/common/python_text.h"

namespace connectors::sources::sql {

// What to_json could not send as it is (see common::Loss).
using common::Loss;

enum class Kind {
  kNull,
  kBool,
  kInteger,   // text: decimal digits (may exceed 64 bits in theory; then a JSON float)
  kFloat,     // number
  kDecimal,   // text: the server's exact decimal ("12.50", "NaN", "Infinity")
  kText,      // text: a string (UTF-8)
  kBytes,     // text: raw bytes
  kBits,      // text: the raw bytes of a MySQL BIT(n), big-endian (pymysql: bytes)
  kDate,      // text: "YYYY-MM-DD" (date.isoformat())
  kTime,      // text: time.isoformat() ("12:30:00", "12:30:00.250000+02:00")
  kDateTime,  // text: datetime.isoformat() ("2023-05-10T12:00:00", "...+00:00")
  kArray,     // items
  kRaw,       // text: a value the driver returns as str, or that Python cannot represent
};

struct Value {
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<Value> items;
  // `text` is known to be UTF-8 (decoded from UTF-16 by us): its check is skipped.
  bool utf8 = false;

  static Value null() { return {}; }
  static Value of_bool(bool b) { return {Kind::kBool, b, 0, {}, {}}; }
  static Value of_float(double d) { return {Kind::kFloat, false, d, {}, {}}; }
  static Value of(Kind kind, std::string text) { return {kind, false, 0, std::move(text), {}}; }
  static Value of_array(std::vector<Value> items) {
    return {Kind::kArray, false, 0, {}, std::move(items)};
  }
};

// The value in a document's `_source`: `BaseDataSource.serialize@8.8` and the
// Elasticsearch client's JSON encoder (dates and times as isoformat() strings,
// lists recursed), except where they lose information (issue 12.7):
// - decimals (and integers past 64 bits) are numbers when the JSON number reads
//   back as the same decimal, else their exact text (see decimal_json);
// - bytes are their text when they are UTF-8, else base64 (see bytes_json);
// - BIT(n) is the unsigned integer of its bits.
// Non-finite numbers become null and set `loss` (the first loss of an array).
nlohmann::json to_json(const Value& value, Loss* loss = nullptr);

// Python's str() of the value the driver returned ("True", "None", "1.5",
// "2023-05-10 12:00:00", "b'\\x00'", "[1, 'a']").
std::string python_str(const Value& value);

// Python truthiness (0, 0.0, Decimal zero, "", b"", [], None and False are false).
bool python_truthy(const Value& value);

// --- building blocks, exposed for the sources and for tests ---

// datetime.isoformat() of a server's "YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]]"
// (a 'T' separator is accepted too). Fractions are padded to microseconds and
// dropped when zero, as Python does. nullopt when Python's datetime cannot hold
// it (year 0 or above 9999, BC dates, hour 24, malformed text).
std::optional<std::string> iso_datetime(std::string_view text);
std::optional<std::string> iso_date(std::string_view text);
std::optional<std::string> iso_time(std::string_view text);

// A PostgreSQL array literal ("{1,NULL,\"a b\"}", "{{1,2},{3,4}}", "[0:1]={1,2}")
// split into its elements: a string per element, nullopt for NULL, nested
// arrays as nested nodes. Throws std::invalid_argument when malformed.
struct ArrayNode {
  bool is_array = false;
  std::optional<std::string> text;
  std::vector<ArrayNode> items;
};
ArrayNode parse_array_literal(std::string_view literal, char delimiter = ',');

}  // namespace connectors::sources::sql
