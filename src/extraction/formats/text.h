// Plain-text files (.txt, .py, .md, .csv, ...): their bytes, as UTF-8.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// The file's bytes as UTF-8 (invalid sequences replaced by U+FFFD).
std::string text_file(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
