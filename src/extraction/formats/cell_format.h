// Excel number formats (a cell style's code from xl/styles.xml, a FORMAT
// record or xl/styles.bin, or a built-in one): a numeric cell's text as Excel
// and Tika (through POI's DataFormatter) show it, dates and times included.
// Pure functions, shared by .xlsx/.xlsm, .xls and .xlsb.
#pragma once

#include <string>
#include <string_view>

namespace connectors::extraction::formats {

// A number as Excel's General format (and Tika) shows it: integers below 1e15
// without ".0", others with up to 15 significant digits ("0.1", "1E+20",
// "1.23456789012345E+15"); "" for infinities and NaN.
std::string excel_general_number(double value);

// A number as Excel shows it in a cell of format `code` ("0.00%",
// "dd-mm-yyyy", "#,##0.00;[Red](#,##0.00)", "[$-409]h:mm:ss;@", ...): the
// section for the value (positive;negative;zero), dates and times (serial days
// since 1900, or since 1904 with `date1904`; AM/PM, A/P), percentages, fixed
// decimals rounded half away from zero, thousands separators, scientific
// notation, fractions ("# ?/?": "2 1/2"), literal text. "General", "@", ""
// and formats we do not read give General.
std::string excel_formatted_number(double value, std::string_view code, bool date1904);

// The format code of Excel's built-in number format `id` (14 is "m/d/yy"; ""
// for General and ids without a fixed code).
std::string_view excel_builtin_format(unsigned id);

}  // namespace connectors::extraction::formats
