// How Python prints and decodes the values sources read (str() and repr() of
// floats, decimals, str and bytes; bytes.decode(errors="ignore"); ASCII
// str.lower(); ", ".join), and the JSON of bytes and decimals that loses
// nothing. Shared by the database sources: their document ids and messages are
// built by the framework from these Python spellings. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace connectors::sources::common {

// What a JSON encoding could not send as it is; the source reports it to the job.
enum class Loss {
  kNone,
  kNotFinite,  // NaN or ±Infinity, which JSON has no number for: sent as null
  kNotUtf8,    // text that is not UTF-8: sent as base64
};

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

// ASCII lower-case (Python's str.lower() on the identifiers databases use).
std::string lower(std::string_view text);

// Comma-and-space list, as the framework's messages print lists ("a, b").
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace connectors::sources::common
