#include "sources/common/python_text.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace connectors::sources::common {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

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

}  // namespace

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
  out += fmt::format("{:02d}", std::abs(exponent));
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

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.append(separator);
    out += items[i];
  }
  return out;
}

}  // namespace connectors::sources::common
