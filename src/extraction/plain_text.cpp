#include "extraction/plain_text.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace connectors::extraction {

std::string file_extension(std::string_view name) {
  auto slash = name.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  auto dot = base.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(base.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool is_plain_text_extension(std::string_view extension) {
  static constexpr std::array<std::string_view, 14> kText = {
      ".txt",  ".md",  ".csv",  ".tsv",  ".json", ".log", ".yml",
      ".yaml", ".ini", ".conf", ".text", ".rst",  ".sql", ".xml"};
  return std::find(kText.begin(), kText.end(), extension) != kText.end();
}

namespace {

// The length of the valid UTF-8 sequence at in[i], 0 when there is none.
size_t utf8_sequence(std::string_view in, size_t i) {
  auto c = static_cast<unsigned char>(in[i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > in.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(in[i + k]) & 0xC0) != 0x80) return 0;
  }
  auto c1 = static_cast<unsigned char>(in[i + 1 < in.size() ? i + 1 : i]);
  if (len == 2 && c < 0xC2) return 0;  // overlong
  if (len == 3 && ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)))
    return 0;  // overlong, surrogates
  if (len == 4 && (c > 0xF4 || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))) return 0;
  return len;
}

// The C locale's isspace, inline: the loop below runs over every byte of every text.
constexpr bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

}  // namespace

std::string sanitize_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  size_t run = 0;  // start of the valid bytes not yet copied: copied in one go
  size_t i = 0;
  while (i < in.size()) {
    if (static_cast<unsigned char>(in[i]) < 0x80) {
      ++i;
      continue;
    }
    if (size_t len = utf8_sequence(in, i); len > 0) {
      i += len;
      continue;
    }
    out.append(in.substr(run, i - run));
    out += "\xEF\xBF\xBD";
    run = ++i;
  }
  out.append(in.substr(run));
  return out;
}

std::string reduce_whitespace(std::string_view text) {
  // One pass writing into a buffer of the input's size: no call per word (the
  // text of a large .txt is mostly short words).
  std::string out(text.size(), '\0');
  char* const begin = out.data();
  char* o = begin;
  bool gap = false;  // whitespace since the last byte written
  for (const char c : text) {
    if (is_space(c)) {
      gap = true;
      continue;
    }
    if (gap && o != begin) *o++ = ' ';
    gap = false;
    *o++ = c;
  }
  out.resize(static_cast<size_t>(o - begin));
  return out;
}

}  // namespace connectors::extraction
