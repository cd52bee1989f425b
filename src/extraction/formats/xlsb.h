// Excel binary workbooks (.xlsb): a zip of BIFF12 record streams, read by hand
// (libzip for the zip, libxml2 for the relationships).
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// Per worksheet, in the workbook's order: its name, then one line per row of
// its cells (shared and inline strings, numbers, booleans, formula results)
// separated by tabs, then its page headers and footers and its comments.
std::string xlsb_text(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
