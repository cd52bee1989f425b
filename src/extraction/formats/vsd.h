// Visio 2000-2003 drawings (.vsd), read with libvisio into librevenge's text
// drawing generator.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// The text of every page's shapes, page after page.
std::string vsd_text(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
