// OpenDocument text (.odt): content.xml and the page headers and footers of
// styles.xml, as Tika reads them.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// Paragraphs and headings (with their spaces, tabs and line breaks), lists,
// tables cell by cell, notes, frames and annotations; then headers and
// footers. ExtractionError("encrypted OpenDocument file") for a
// password-protected one.
std::string odt_file(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
