#include "sources/sql/values.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace connectors::sources::sql {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at `pos` into `out`.
bool read_digits(std::string_view text, size_t& pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (!is_digit(c)) return false;
    out = out * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::string two(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", n);
  return buf;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

// "YYYY-MM-DD" at pos (exactly four year digits: Python's range is 1..9999).
std::optional<std::string> parse_date(std::string_view text, size_t& pos) {
  int y = 0, m = 0, d = 0;
  if (!read_digits(text, pos, 4, y) || !expect(text, pos, '-') || !read_digits(text, pos, 2, m) ||
      !expect(text, pos, '-') || !read_digits(text, pos, 2, d)) {
    return std::nullopt;
  }
  if (pos < text.size() && is_digit(text[pos])) return std::nullopt;  // five-digit year part
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return std::string(text.substr(pos - 10, 10));
}

// "HH:MM:SS[.fraction][±HH[:MM[:SS]]|Z]" at pos, to the end of the text.
std::optional<std::string> parse_time(std::string_view text, size_t& pos) {
  int h = 0, mi = 0, s = 0;
  if (!read_digits(text, pos, 2, h) || !expect(text, pos, ':') || !read_digits(text, pos, 2, mi) ||
      !expect(text, pos, ':') || !read_digits(text, pos, 2, s)) {
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  std::string out = two(h) + ":" + two(mi) + ":" + two(s);
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::string fraction;
    while (pos < text.size() && is_digit(text[pos])) fraction += text[pos++];
    if (fraction.empty()) return std::nullopt;
    fraction.resize(6, '0');  // microseconds: longer fractions are cut, as the drivers do
    if (fraction != "000000") out += "." + fraction;
  }
  if (pos == text.size()) return out;
  if (text[pos] == 'Z' && pos + 1 == text.size()) return out + "+00:00";
  char sign = text[pos];
  if (sign != '+' && sign != '-') return std::nullopt;
  ++pos;
  int oh = 0, om = 0, os = 0;
  if (!read_digits(text, pos, 2, oh)) return std::nullopt;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!read_digits(text, pos, 2, om)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!read_digits(text, pos, 2, os)) return std::nullopt;
    }
  }
  if (pos != text.size() || oh > 23 || om > 59 || os > 59) return std::nullopt;
  out += std::string(1, sign) + two(oh) + ":" + two(om);
  if (os != 0) out += ":" + two(os);
  return out;
}

// Length of the valid UTF-8 sequence starting at s[i], or the number of bytes
// to drop (negative) when it is not one: the lead byte plus the continuation
// bytes accepted before the failure (CPython's maximal invalid subpart).
int utf8_sequence(std::string_view s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  int need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
  } else if (b == 0xE0) {
    need = 2, lo = 0xA0;
  } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
    need = 2;
  } else if (b == 0xED) {
    need = 2, hi = 0x9F;
  } else if (b == 0xF0) {
    need = 3, lo = 0x90;
  } else if (b >= 0xF1 && b <= 0xF3) {
    need = 3;
  } else if (b == 0xF4) {
    need = 3, hi = 0x8F;
  } else {
    return -1;
  }
  for (int k = 1; k <= need; ++k) {
    if (i + k >= s.size()) return -k;
    auto c = static_cast<unsigned char>(s[i + k]);
    if (c < lo || c > hi) return -k;
    lo = 0x80, hi = 0xBF;
  }
  return need + 1;
}

bool all_zero_digits(std::string_view digits) {
  for (char c : digits) {
    if (is_digit(c) && c != '0') return false;
  }
  return true;
}

std::string python_repr(const Value& v) {
  switch (v.kind) {
    case Kind::kNull:
    case Kind::kBool:
    case Kind::kInteger:
    case Kind::kFloat:
    case Kind::kArray:
    case Kind::kBytes:
    case Kind::kBits:
      return python_str(v);
    case Kind::kDecimal:
      return "Decimal('" + python_decimal_str(v.text) + "')";
    default:
      return python_str_repr(python_str(v));
  }
}

// The value of a decimal literal: sign, significant digits (no leading or
// trailing zeros; none for zero) and exponent, so that "1.50", "15E-1" and
// "1.5" compare equal. nullopt when `text` is not a plain or exponent literal.
struct DecimalValue {
  bool negative = false;
  std::string digits;
  long long exponent = 0;
  bool operator==(const DecimalValue&) const = default;
};

std::optional<DecimalValue> decimal_value(std::string_view text) {
  DecimalValue out;
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) out.negative = text[i++] == '-';
  bool dot = false, any = false;
  for (; i < text.size(); ++i) {
    if (is_digit(text[i])) {
      out.digits += text[i];
      any = true;
      if (dot) --out.exponent;
    } else if (text[i] == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool minus = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    long long e = 0;
    auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), e);
    if (ec != std::errc() || end == text.data() + i || e > (1LL << 40)) return std::nullopt;
    i = static_cast<size_t>(end - text.data());
    out.exponent += minus ? -e : e;
  }
  if (i != text.size()) return std::nullopt;
  size_t first = out.digits.find_first_not_of('0');
  if (first == std::string::npos) return DecimalValue{};  // zero, whatever its sign
  out.digits.erase(0, first);
  size_t last = out.digits.find_last_not_of('0');
  out.exponent += static_cast<long long>(out.digits.size() - 1 - last);
  out.digits.erase(last + 1);
  return out;
}

// A MySQL BIT(n) (at most 64 bits) as its unsigned integer.
uint64_t bits_value(std::string_view bytes) {
  uint64_t out = 0;
  for (char c : bytes) out = (out << 8) | static_cast<unsigned char>(c);
  return out;
}

nlohmann::json convert(const Value& value, Loss& loss);

nlohmann::json text_json(const std::string& text, Loss& loss) {
  if (is_valid_utf8(text)) return text;
  if (loss == Loss::kNone) loss = Loss::kNotUtf8;
  return base64(text);
}

void parse_array_items(std::string_view s, size_t& pos, char delimiter, ArrayNode& node);

void skip_spaces(std::string_view s, size_t& pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
    ++pos;
}

ArrayNode parse_array_element(std::string_view s, size_t& pos, char delimiter) {
  ArrayNode node;
  skip_spaces(s, pos);
  if (pos >= s.size()) throw std::invalid_argument("array literal ends inside an element");
  if (s[pos] == '{') {
    node.is_array = true;
    parse_array_items(s, pos, delimiter, node);
    return node;
  }
  std::string text;
  if (s[pos] == '"') {
    ++pos;
    while (true) {
      if (pos >= s.size())
        throw std::invalid_argument("array literal ends inside a quoted element");
      char c = s[pos++];
      if (c == '"') break;
      if (c == '\\') {
        if (pos >= s.size()) throw std::invalid_argument("array literal ends after a backslash");
        c = s[pos++];
      }
      text += c;
    }
    node.text = std::move(text);
    return node;
  }
  bool escaped = false;
  while (pos < s.size() && s[pos] != delimiter && s[pos] != '}') {
    char c = s[pos++];
    if (c == '\\' && pos < s.size()) {
      c = s[pos++];
      escaped = true;
    }
    text += c;
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  if (!escaped && (text == "NULL" || text == "null" || text == "Null")) return node;
  node.text = std::move(text);
  return node;
}

void parse_array_items(std::string_view s, size_t& pos, char delimiter, ArrayNode& node) {
  if (pos >= s.size() || s[pos] != '{')
    throw std::invalid_argument("array literal must start with '{'");
  ++pos;
  skip_spaces(s, pos);
  if (pos < s.size() && s[pos] == '}') {
    ++pos;
    return;
  }
  while (true) {
    node.items.push_back(parse_array_element(s, pos, delimiter));
    skip_spaces(s, pos);
    if (pos >= s.size()) throw std::invalid_argument("array literal is not closed");
    if (s[pos] == '}') {
      ++pos;
      return;
    }
    if (s[pos] != delimiter) throw std::invalid_argument("unexpected character in array literal");
    ++pos;
  }
}

}  // namespace

std::optional<std::string> iso_date(std::string_view text) {
  size_t pos = 0;
  auto date = parse_date(text, pos);
  if (!date || pos != text.size()) return std::nullopt;
  return date;
}

std::optional<std::string> iso_time(std::string_view text) {
  size_t pos = 0;
  return parse_time(text, pos);
}

std::optional<std::string> iso_datetime(std::string_view text) {
  size_t pos = 0;
  auto date = parse_date(text, pos);
  if (!date || pos >= text.size() || (text[pos] != ' ' && text[pos] != 'T')) return std::nullopt;
  ++pos;
  auto time = parse_time(text, pos);
  if (!time) return std::nullopt;
  return *date + "T" + *time;
}

std::string decode_utf8_ignore(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    int n = utf8_sequence(bytes, i);
    if (n > 0) out.append(bytes.substr(i, static_cast<size_t>(n)));
    i += static_cast<size_t>(n > 0 ? n : -n);
  }
  return out;
}

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  std::string sign = std::signbit(value) ? "-" : "";
  char buf[64];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, std::fabs(value), std::chars_format::scientific);
  if (ec != std::errc()) return sign + "nan";
  std::string_view sci(buf, static_cast<size_t>(end - buf));
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  int decpt = exponent + 1;
  int n = static_cast<int>(digits.size());
  if (digits == "0") return sign + "0.0";
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return sign + "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
    if (decpt >= n) return sign + digits + std::string(static_cast<size_t>(decpt - n), '0') + ".0";
    return sign + digits.substr(0, static_cast<size_t>(decpt)) + "." +
           digits.substr(static_cast<size_t>(decpt));
  }
  std::string out = sign + digits.substr(0, 1);
  if (n > 1) out += "." + digits.substr(1);
  out += exponent < 0 ? "e-" : "e+";
  out += two(std::abs(exponent));
  return out;
}

std::string python_decimal_str(std::string_view text) {
  std::string_view t = text;
  std::string sign;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    if (t[0] == '-') sign = "-";
    t.remove_prefix(1);
  }
  if (t == "NaN" || t == "nan") return "NaN";
  if (t == "Infinity" || t == "inf" || t == "Inf") return sign + "Infinity";
  std::string coefficient;
  int exponent = 0;
  bool after_dot = false;
  for (char c : t) {
    if (c == '.') {
      after_dot = true;
    } else if (is_digit(c)) {
      coefficient += c;
      if (after_dot) --exponent;
    } else {
      return std::string(text);  // not a plain literal: leave it as the server wrote it
    }
  }
  size_t first = coefficient.find_first_not_of('0');
  coefficient = first == std::string::npos ? "0" : coefficient.substr(first);
  int len = static_cast<int>(coefficient.size());
  int leftdigits = exponent + len;
  int dotplace = exponent <= 0 && leftdigits > -6 ? leftdigits : 1;
  std::string intpart, fracpart;
  if (dotplace <= 0) {
    intpart = "0";
    fracpart = "." + std::string(static_cast<size_t>(-dotplace), '0') + coefficient;
  } else if (dotplace >= len) {
    intpart = coefficient + std::string(static_cast<size_t>(dotplace - len), '0');
  } else {
    intpart = coefficient.substr(0, static_cast<size_t>(dotplace));
    fracpart = "." + coefficient.substr(static_cast<size_t>(dotplace));
  }
  std::string exp;
  if (leftdigits != dotplace) {
    int e = leftdigits - dotplace;
    exp = std::string("E") + (e < 0 ? "-" : "+") + std::to_string(std::abs(e));
  }
  return sign + intpart + fracpart + exp;
}

std::string python_str_repr(std::string_view text) {
  bool has_single = text.find('\'') != std::string_view::npos;
  bool has_double = text.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) <= 0xA0) {
      // U+0080..U+00A0 are not printable for Python: \x80 ... \xa0.
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(text[i + 1]));
      out += buf;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

std::string python_bytes_repr(std::string_view bytes) {
  bool has_single = bytes.find('\'') != std::string_view::npos;
  bool has_double = bytes.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out = "b";
  out += quote;
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += quote;
  return out;
}

ArrayNode parse_array_literal(std::string_view literal, char delimiter) {
  size_t pos = 0;
  skip_spaces(literal, pos);
  if (pos < literal.size() && literal[pos] == '[') {  // "[0:2]={...}": bounds other than 1
    size_t eq = literal.find('=', pos);
    if (eq == std::string_view::npos) throw std::invalid_argument("array bounds without '='");
    pos = eq + 1;
  }
  ArrayNode root;
  root.is_array = true;
  parse_array_items(literal, pos, delimiter, root);
  skip_spaces(literal, pos);
  if (pos != literal.size()) throw std::invalid_argument("text after the array literal");
  return root;
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    int n = utf8_sequence(s, i);
    if (n < 0) return false;
    i += static_cast<size_t>(n);
  }
  return true;
}

std::string base64(std::string_view bytes) {
  // EVP_EncodeBlock takes an int length: whole groups of 3 bytes at a time,
  // each written in place (it adds a NUL, which the next group overwrites).
  constexpr size_t kChunk = 3 * 16384;
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
  size_t written = 0;
  for (size_t at = 0; at < bytes.size(); at += kChunk) {
    size_t n = std::min(kChunk, bytes.size() - at);
    written += static_cast<size_t>(EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(out.data() + written),
        reinterpret_cast<const unsigned char*>(bytes.data() + at), static_cast<int>(n)));
  }
  out.resize(written);
  return out;
}

nlohmann::json bytes_json(std::string_view bytes) {
  if (is_valid_utf8(bytes)) return std::string(bytes);
  return base64(bytes);
}

nlohmann::json decimal_json(std::string_view text, Loss* loss) {
  auto exact = decimal_value(text);
  if (!exact) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos) {
      if (loss) *loss = Loss::kNotFinite;
      return nullptr;
    }
    return std::string(text);  // not a literal we know: the server's text, as it is
  }
  double d = std::strtod(std::string(text).c_str(), nullptr);  // float(Decimal): correctly rounded
  if (std::isfinite(d)) {
    nlohmann::json number(d);
    if (decimal_value(number.dump()) == exact) return number;
  }
  return std::string(text);
}

nlohmann::json to_json(const Value& value, Loss* loss) {
  Loss seen = Loss::kNone;
  nlohmann::json out = convert(value, seen);
  if (loss) *loss = seen;
  return out;
}

namespace {

nlohmann::json convert(const Value& value, Loss& loss) {
  auto lose = [&loss](Loss what) {
    if (loss == Loss::kNone) loss = what;
    return nlohmann::json(nullptr);
  };
  switch (value.kind) {
    case Kind::kNull:
      return nullptr;
    case Kind::kBool:
      return value.boolean;
    case Kind::kInteger: {
      const char* begin = value.text.data();
      const char* end = begin + value.text.size();
      int64_t i = 0;
      if (auto r = std::from_chars(begin, end, i); r.ec == std::errc() && r.ptr == end) return i;
      uint64_t u = 0;
      if (auto r = std::from_chars(begin, end, u); r.ec == std::errc() && r.ptr == end) return u;
      Loss decimal_loss = Loss::kNone;
      auto out = decimal_json(value.text, &decimal_loss);
      if (decimal_loss != Loss::kNone) return lose(decimal_loss);
      return out;
    }
    case Kind::kFloat:
      return std::isfinite(value.number) ? nlohmann::json(value.number) : lose(Loss::kNotFinite);
    case Kind::kDecimal: {
      Loss decimal_loss = Loss::kNone;
      auto out = decimal_json(value.text, &decimal_loss);
      if (decimal_loss != Loss::kNone) return lose(decimal_loss);
      return out;
    }
    case Kind::kBytes:
      return bytes_json(value.text);
    case Kind::kBits:
      if (value.text.size() > sizeof(uint64_t)) return bytes_json(value.text);
      return bits_value(value.text);
    case Kind::kArray: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : value.items) out.push_back(convert(item, loss));
      return out;
    }
    default:
      return text_json(value.text, loss);
  }
}

}  // namespace

std::string python_str(const Value& value) {
  switch (value.kind) {
    case Kind::kNull:
      return "None";
    case Kind::kBool:
      return value.boolean ? "True" : "False";
    case Kind::kFloat:
      return python_float_repr(value.number);
    case Kind::kDecimal:
      return python_decimal_str(value.text);
    case Kind::kBytes:
    case Kind::kBits:
      return python_bytes_repr(value.text);
    case Kind::kDateTime: {
      std::string out = value.text;
      if (out.size() > 10 && out[10] == 'T') out[10] = ' ';
      return out;
    }
    case Kind::kArray: {
      std::string out = "[";
      for (size_t i = 0; i < value.items.size(); ++i) {
        if (i) out += ", ";
        out += python_repr(value.items[i]);
      }
      return out + "]";
    }
    default:
      return value.text;
  }
}

bool python_truthy(const Value& value) {
  switch (value.kind) {
    case Kind::kNull:
      return false;
    case Kind::kBool:
      return value.boolean;
    case Kind::kInteger:
      return !all_zero_digits(value.text);
    case Kind::kFloat:
      return value.number != 0.0;
    case Kind::kDecimal: {
      std::string_view t = value.text;
      if (t.find_first_of("NnIi") != std::string_view::npos) return true;  // NaN, Infinity
      return !all_zero_digits(t);
    }
    case Kind::kDate:
    case Kind::kTime:
    case Kind::kDateTime:
      return true;
    case Kind::kArray:
      return !value.items.empty();
    default:
      return !value.text.empty();
  }
}

}  // namespace connectors::sources::sql
