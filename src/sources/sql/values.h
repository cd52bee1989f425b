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

namespace connectors::sources::sql {

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

  static Value null() { return {}; }
  static Value of_bool(bool b) { return {Kind::kBool, b, 0, {}, {}}; }
  static Value of_float(double d) { return {Kind::kFloat, false, d, {}, {}}; }
  static Value of(Kind kind, std::string text) { return {kind, false, 0, std::move(text), {}}; }
  static Value of_array(std::vector<Value> items) {
    return {Kind::kArray, false, 0, {}, std::move(items)};
  }
};

// What to_json could not send as it is; the source reports it to the job.
enum class Loss {
  kNone,
  kNotFinite,  // NaN or ±Infinity, which JSON has no number for: sent as null
  kNotUtf8,    // text that is not UTF-8: sent as base64
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

// A decimal literal ("12.50", "-1.5E+3") as a JSON number when the number
// nlohmann writes for its double denotes the same decimal (12.5, 1500.0, 0.1),
// else as the literal itself, a string ("1234567890123456789012345678.0123456789"):
// never rounded. NaN and infinities: null, with kNotFinite.
nlohmann::json decimal_json(std::string_view text, Loss* loss = nullptr);

// Bytes as their text when they are valid UTF-8, else standard base64 (RFC 4648,
// padded, one line): never dropped or mangled.
nlohmann::json bytes_json(std::string_view bytes);

bool is_valid_utf8(std::string_view text);
std::string base64(std::string_view bytes);

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

// bytes.decode("utf-8", errors="ignore").
std::string decode_utf8_ignore(std::string_view bytes);

// repr(float) / str(float): shortest round-trip digits, exponent form below
// 1e-4 and from 1e16 ("1e-05", "1e+16"), ".0" on integral values, "inf", "nan".
std::string python_float_repr(double value);

// str(Decimal(text)) for a plain decimal literal ("0.0000001" -> "1E-7").
std::string python_decimal_str(std::string_view text);

// repr(str) and repr(bytes).
std::string python_str_repr(std::string_view text);
std::string python_bytes_repr(std::string_view bytes);

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
