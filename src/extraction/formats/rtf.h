// Rich Text Format (.rtf), read by hand: no maintained library in Debian
// turns RTF into text (docs/HANDWRITTEN.md).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace connectors::extraction::formats {

// The document's text: paragraphs, line breaks, tabs, table cells and rows;
// \uN characters (skipping their \ucN fallbacks) and \'hh bytes in the code
// page of the document (\ansicpg) or of the current font (\fcharset). Font,
// colour and style tables, document info, pictures, objects' data, field
// instructions and every \* destination are skipped. Groups left open at the
// end are closed (real files miss braces). ExtractionError for a file that is
// not RTF or nests groups deeper than 1000.
std::string rtf_text(std::string_view bytes);
std::string rtf_file(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
