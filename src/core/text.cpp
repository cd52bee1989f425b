#include "core/text.h"

namespace connectors {
namespace {

constexpr std::string_view kSpaces = " \t\r\n";

}  // namespace

std::string trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(kSpaces);
  if (begin == std::string_view::npos) return "";
  const size_t end = text.find_last_not_of(kSpaces);
  return std::string(text.substr(begin, end - begin + 1));
}

std::string fold_spaces(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (kSpaces.find(c) != std::string_view::npos) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace connectors
