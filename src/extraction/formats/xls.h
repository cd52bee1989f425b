// Excel 97-2003 workbooks (.xls, BIFF8, and BIFF5 of Excel 5/95), read by hand
// on the OLE2 wrapper: the BIFF records of the Workbook stream.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// Per worksheet: its name, then one line per row of its cells (shared and
// inline strings, numbers in their cells' formats, booleans, formula results)
// separated by tabs, as Tika lays them out, then its page header and footer.
// Throws ExtractionError for an encrypted or malformed workbook.
std::string xls_text(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
