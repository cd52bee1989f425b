#include "sources/sql/values.h"

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
      return "Decimal('" + common::python_decimal_str(v.text) + "')";
    default:
      return common::python_str_repr(python_str(v));
  }
}

// A MySQL BIT(n) (at most 64 bits) as its unsigned integer.
uint64_t bits_value(std::string_view bytes) {
  uint64_t out = 0;
  for (char c : bytes) out = (out << 8) | static_cast<unsigned char>(c);
  return out;
}

nlohmann::json convert(const Value& value, Loss& loss);

nlohmann::json text_json(const Value& value, Loss& loss) {
  const std::string& text = value.text;
  if (value.utf8 || common::is_valid_utf8(text)) return text;
  if (loss == Loss::kNone) loss = Loss::kNotUtf8;
  return common::base64(text);
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
      auto out = common::decimal_json(value.text, &decimal_loss);
      if (decimal_loss != Loss::kNone) return lose(decimal_loss);
      return out;
    }
    case Kind::kFloat:
      return std::isfinite(value.number) ? nlohmann::json(value.number) : lose(Loss::kNotFinite);
    case Kind::kDecimal: {
      Loss decimal_loss = Loss::kNone;
      auto out = common::decimal_json(value.text, &decimal_loss);
      if (decimal_loss != Loss::kNone) return lose(decimal_loss);
      return out;
    }
    case Kind::kBytes:
      return common::bytes_json(value.text);
    case Kind::kBits:
      if (value.text.size() > sizeof(uint64_t)) return common::bytes_json(value.text);
      return bits_value(value.text);
    case Kind::kArray: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : value.items) out.push_back(convert(item, loss));
      return out;
    }
    default:
      return text_json(value, loss);
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
      return common::python_float_repr(value.number);
    case Kind::kDecimal:
      return common::python_decimal_str(value.text);
    case Kind::kBytes:
    case Kind::kBits:
      return common::python_bytes_repr(value.text);
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
