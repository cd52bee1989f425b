// How Excel shows a cell's number (General, or its number format) and a page
// header or footer: shared by .xls and .xlsb.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace connectors::extraction::formats {

// A number as Excel's General format (and Tika) shows it: integers below 1e15
// without ".0", others with up to 15 significant digits ("1.23456789012345E+15").
//
std::string excel_general_number(double value);

// A number as Excel shows it in a cell of format `code` ("0.00%",
// "dd-mm-yyyy", "#,##0.00", "[$-409]h:mm:ss;@", ...): percentages, dates and
// times (1900 date system), fixed decimals and thousands separators, literal
// text; other codes (fractions, scientific) as General.
std::string excel_formatted_number(double value, std::string_view code);

// The format code of Excel's built-in number format `id` ("" for General and
// ids without a fixed code).
std::string_view excel_builtin_format(unsigned id);

// An RkNumber (BIFF8's and BIFF12's compact number): a 30-bit integer or the
// top 30 bits of a double, divided by 100 when its low bit says so.
double rk_number(std::uint32_t rk);

// The text of a page header or footer: its codes ("&L", "&\"Arial,Bold\"",
// "&12", "&P", ...) removed.
std::string header_footer_text(std::string_view codes);

}  // namespace connectors::extraction::formats
