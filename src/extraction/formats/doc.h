// Word 97-2003 binary documents (.doc), read by hand on the OLE2 wrapper: the
// FIB, the piece table in the table stream, the text of each piece.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// The text of every piece (main text, footnotes, headers, comments, text
// boxes): field codes dropped and their results kept, cells ended by tabs,
// paragraphs and line breaks by newlines. Word 6/95 files when they are not
// fast-saved; throws ExtractionError for an encrypted or malformed document.
std::string doc_text(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
