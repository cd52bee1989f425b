#include "extraction/file_types.h"

#include <array>
#include <string>
#include <utility>

#include "extraction/plain_text.h"

namespace connectors::extraction {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 31> kTypes = {{
#define FILE_TYPE(extension, family, function) {extension, family},
#include "extraction/file_types.def"
#undef FILE_TYPE
}};

}  // namespace

const std::vector<std::string_view>& supported_extensions() {
  static const std::vector<std::string_view> extensions = [] {
    std::vector<std::string_view> out;
    for (const auto& type : kTypes) out.push_back(type.first);
    return out;
  }();
  return extensions;
}

std::string_view format_of(std::string_view extension) {
  const std::string lower = file_extension(std::string("x") + std::string(extension));
  for (const auto& type : kTypes) {
    if (type.first == lower) return type.second;
  }
  return {};
}

bool is_supported_extension(std::string_view extension) { return !format_of(extension).empty(); }

}  // namespace connectors::extraction
