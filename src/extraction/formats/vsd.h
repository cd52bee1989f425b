// Visio 5-2003 drawings (.vsd): read with libvisio into librevenge's text
// drawing generator, then completed from the drawing's Text chunks
// (vsd_chunks.h) with what libvisio left out.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// The text of every page's shapes, page after page, then each line of a Text
// chunk libvisio did not show (text of shapes it does not draw, of masters).
std::string vsd_text(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
