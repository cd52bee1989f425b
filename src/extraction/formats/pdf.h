// PDF (.pdf): the text of every page, with poppler.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// Each page's text in reading order, pages separated by line breaks; "" for a
// PDF of scanned images. ExtractionError("encrypted PDF") when the file needs
// a password, and for a file poppler cannot open.
std::string pdf_file(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
