// PowerPoint 97-2003 presentations (.ppt), read by hand on the OLE2 wrapper:
// the record tree of the "PowerPoint Document" stream.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// The text atoms (UTF-16 and 8-bit) and strings of the slides, notes, masters
// and comments, one per line, in stream order. Throws ExtractionError for an
// encrypted or malformed presentation.
std::string ppt_text(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
