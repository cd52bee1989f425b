#include "core/json_dump.h"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace connectors {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

constexpr uint64_t has_zero_byte(uint64_t v) { return (v - kOnes) & ~v & kHighs; }

// Whether all eight bytes are printable ASCII other than '"' and '\\': the
// bytes JSON copies as they are.
bool plain_word(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  const uint64_t control = (w - kOnes * 0x20) & ~w & kHighs;  // a byte < 0x20
  return ((w & kHighs) | control | has_zero_byte(w ^ (kOnes * '"')) |
          has_zero_byte(w ^ (kOnes * '\\'))) == 0;
}

// The length of the well-formed UTF-8 sequence at s[i] (a lead byte >= 0x80),
// or 0: overlong forms, surrogates and values past U+10FFFF are not.
size_t utf8_length(std::string_view s, size_t i) {
  const auto at = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](size_t k) { return i + k < s.size() && (at(k) & 0xC0) == 0x80; };
  const unsigned char lead = at(0);
  if (lead >= 0xC2 && lead <= 0xDF) return cont(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (lead == 0xE0 && at(1) < 0xA0) return 0;  // overlong
    if (lead == 0xED && at(1) > 0x9F) return 0;  // a surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (lead == 0xF0 && at(1) < 0x90) return 0;  // overlong
    if (lead == 0xF4 && at(1) > 0x8F) return 0;  // past U+10FFFF
    return 4;
  }
  return 0;
}

// Appends `s` quoted and escaped as nlohmann does (short escapes for \b \t \n
// \f \r, \u00xx in lower case for other control bytes, non-ASCII as it is);
// false, having appended nothing, when `s` is not valid UTF-8.
bool append_string(std::string_view s, std::string& out) {
  const size_t start = out.size();
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  size_t i = 0;
  size_t run = 0;  // the first byte not yet copied
  while (i < s.size()) {
    if (i + 8 <= s.size() && plain_word(s.data() + i)) {
      i += 8;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const size_t length = utf8_length(s, i);
      if (length == 0) {
        out.resize(start);
        return false;
      }
      i += length;
      continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof escape);
      }
    }
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
  return true;
}

void append_string_value(const std::string& s, std::string& out) {
  if (!append_string(s, out)) {
    out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace

void append_json(const nlohmann::json& value, std::string& out) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, member] : value.items()) {
        if (!first) out.push_back(',');
        first = false;
        append_string_value(key, out);
        out.push_back(':');
        append_json(member, out);
      }
      out.push_back('}');
      return;
    }
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value) {
        if (!first) out.push_back(',');
        first = false;
        append_json(element, out);
      }
      out.push_back(']');
      return;
    }
    case nlohmann::json::value_t::string:
      append_string_value(value.get_ref<const std::string&>(), out);
      return;
    default:  // numbers, booleans, null, binary: short, and nlohmann's own text
      out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace connectors
