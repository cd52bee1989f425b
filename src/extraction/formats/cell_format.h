// Excel number formats (the formatCode of xl/styles.xml, or a built-in one):
// a numeric cell's text as Excel and Tika (through POI's DataFormatter) show
// it, dates and times included. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace connectors::extraction::formats {

// The code of built-in format `id` (14 is "m/d/yy"); "" when it has none.
std::string_view builtin_number_format(int id);

// `value` in the first section of `code`: dates and times (y m d h s AM/PM,
// serial days since 1900, or since 1904 with `date1904`), percentages, fixed
// decimals, thousands separators, scientific notation and literal text.
// "General", "@", "" and formats we do not read (fractions) give 15
// significant digits, as Excel's General does.
std::string format_cell_number(double value, std::string_view code, bool date1904);

// `value` in 15 significant digits ("0.1", "1234567.5", "1E+20").
std::string general_number(double value);

}  // namespace connectors::extraction::formats
