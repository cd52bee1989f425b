#include "extraction/formats/xls_format.h"

#include <algorithm>
#include <cstring>

namespace connectors::extraction::formats {

double rk_number(std::uint32_t rk) {
  double value = 0;
  if ((rk & 2) != 0) {
    value = static_cast<double>(static_cast<std::int32_t>(rk) >> 2);
  } else {
    const std::uint64_t bits = static_cast<std::uint64_t>(rk & 0xFFFFFFFC) << 32;
    std::memcpy(&value, &bits, sizeof value);
  }
  return (rk & 1) != 0 ? value / 100 : value;
}

std::string header_footer_text(std::string_view codes) {
  std::string text;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] != '&' || i + 1 >= codes.size()) {
      text += codes[i];
      continue;
    }
    const char code = codes[++i];
    if (code == '&') {
      text += '&';
    } else if (code == '"') {  // &"font,style"
      const std::size_t end = codes.find('"', i + 1);
      i = end == std::string_view::npos ? codes.size() : end;
    } else if (code >= '0' && code <= '9') {  // &nn: font size
      while (i + 1 < codes.size() && codes[i + 1] >= '0' && codes[i + 1] <= '9') ++i;
    } else if (code == 'K') {  // &Krrggbb: colour
      i = std::min(codes.size(), i + 6);
    } else if (code == 'L' || code == 'C' || code == 'R') {
      text += ' ';  // a new section
    }
  }
  return text;
}

}  // namespace connectors::extraction::formats
