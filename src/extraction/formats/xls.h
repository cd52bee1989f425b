// Excel 97-2003 (.xls, BIFF5/BIFF8) workbooks, read with FreeXL.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// Per worksheet: its name, then one line per row with the cells' text, numbers
// and dates separated by tabs (as Tika lays them out).
std::string xls_text(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
