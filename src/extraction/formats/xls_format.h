// BIFF helpers shared by .xls and .xlsb: compact numbers and page header or
// footer text. (Number formats are in cell_format.h.)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace connectors::extraction::formats {

// An RkNumber (BIFF8's and BIFF12's compact number): a 30-bit integer or the
// top 30 bits of a double, divided by 100 when its low bit says so.
double rk_number(std::uint32_t rk);

// The text of a page header or footer: its codes ("&L", "&\"Arial,Bold\"",
// "&12", "&P", ...) removed.
std::string header_footer_text(std::string_view codes);

}  // namespace connectors::extraction::formats
