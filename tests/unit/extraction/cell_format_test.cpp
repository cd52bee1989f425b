#include "extraction/formats/cell_format.h"

#include <gtest/gtest.h>

#include "corpus.h"

namespace connectors::extraction::formats {
namespace {

std::string fmt(double value, std::string_view code) {
  return excel_formatted_number(value, code, false);
}

TEST(CellFormat, GeneralShowsFifteenDigits) {
  EXPECT_EQ(fmt(0.10000000000000001, "General"), "0.1");
  EXPECT_EQ(fmt(1234567.5, ""), "1234567.5");
  EXPECT_EQ(fmt(42, "@"), "42");
  EXPECT_EQ(excel_general_number(1e20), "1E+20");
  EXPECT_EQ(excel_general_number(123456789012345), "123456789012345");
  EXPECT_EQ(excel_general_number(1234567890123456), "1.23456789012346E+15");
  EXPECT_EQ(fmt(42, std::string(excel_builtin_format(49))), "42");
}

TEST(CellFormat, Dates1900And1904) {
  EXPECT_EQ(fmt(45306, "yyyy-mm-dd"), "2024-01-15");
  EXPECT_EQ(fmt(1, "yyyy-mm-dd"), "1900-01-01");
  EXPECT_EQ(fmt(59, "yyyy-mm-dd"), "1900-02-28");
  EXPECT_EQ(fmt(61, "yyyy-mm-dd"), "1900-03-01");  // after Excel's phantom 29 February
  EXPECT_EQ(excel_formatted_number(0, "yyyy-mm-dd", true), "1904-01-01");
  EXPECT_EQ(excel_formatted_number(45306 - 1462, "dddd yyyy-mm-dd", true), "Monday 2024-01-15");
  EXPECT_EQ(excel_formatted_number(-1, "yyyy-mm-dd", true), "-1");
  EXPECT_EQ(fmt(45306, std::string(excel_builtin_format(14))), "1/15/24");
  EXPECT_EQ(fmt(45306, "dddd d mmmm yyyy"), "Monday 15 January 2024");
  EXPECT_EQ(fmt(45306, "ddd, mmm d"), "Mon, Jan 15");
  EXPECT_EQ(fmt(-1, "yyyy-mm-dd"), "-1");  // no date before 1900
}

TEST(CellFormat, FractionsWithTheirWholePartAndDenominator) {
  EXPECT_EQ(fmt(2.5, std::string(excel_builtin_format(12))), "2 1/2");
  EXPECT_EQ(fmt(0.25, "# ?/?"), "1/4");
  EXPECT_EQ(fmt(3, "# ?/?"), "3");
  EXPECT_EQ(fmt(0.3333, "# ?\?/?\?"), "1/3");
  EXPECT_EQ(fmt(3.14159, std::string(excel_builtin_format(13))), "3 14/99");  // as Excel
  EXPECT_EQ(fmt(0.99, "# ?/?"), "1");  // rounds up to the next whole number
  EXPECT_EQ(fmt(1.5, "?/?"), "3/2");   // no whole part in the pattern
  EXPECT_EQ(fmt(0.3, "# ?/4"), "1/4");
  EXPECT_EQ(fmt(-1.75, "# ?/?"), "-1 3/4");
  EXPECT_EQ(fmt(0.0123, "# ?/100"), "1/100");
}

TEST(CellFormat, TimesMinutesAndMonths) {
  const double afternoon = 45306 + (14 * 3600 + 5 * 60 + 9) / 86400.0;
  EXPECT_EQ(fmt(afternoon, "hh:mm:ss"), "14:05:09");
  EXPECT_EQ(fmt(afternoon, "h:mm AM/PM"), "2:05 PM");
  EXPECT_EQ(fmt(afternoon, "h:mm am/pm"), "2:05 PM");
  EXPECT_EQ(fmt(afternoon, "h:mm a/p"), "2:05 P");
  EXPECT_EQ(fmt(45306.25, "hh:mm A/P"), "06:00 A");
  EXPECT_EQ(fmt(afternoon, "yyyy-mm-dd hh:mm"), "2024-01-15 14:05");
  EXPECT_EQ(fmt(afternoon, "mm:ss"), "05:09");
  EXPECT_EQ(fmt(afternoon, "[$-409]m/d/yy\\ h:mm;@"), "1/15/24 14:05");
  EXPECT_EQ(fmt(45306.9999999, "yyyy-mm-dd hh:mm:ss"), "2024-01-16 00:00:00");
}

TEST(CellFormat, NumbersPercentagesAndLiterals) {
  EXPECT_EQ(fmt(1234567.891, "#,##0.00"), "1,234,567.89");
  EXPECT_EQ(fmt(-1234567.891, "#,##0"), "-1,234,568");
  EXPECT_EQ(fmt(3.1, "0.00"), "3.10");
  EXPECT_EQ(fmt(0.256, "0.0%"), "25.6%");
  EXPECT_EQ(fmt(12345, "0.00E+00"), "1.23E+04");
  EXPECT_EQ(fmt(9.5, "\"$\"#,##0.00_);[Red](\"$\"#,##0.00)"), "$9.50 ");
  EXPECT_EQ(fmt(3, "0\" kg\""), "3 kg");
  EXPECT_EQ(fmt(19.99, "0 \"dollars and\" .00 \"cents\""), "19.99 dollars and  cents");
}

TEST(CellFormat, SectionsForNegativeAndZeroAndHalvesAwayFromZero) {
  EXPECT_EQ(fmt(-1599.99, "$#,##0.00;[Red]($#,##0.00)"), "($1,599.99)");
  EXPECT_EQ(fmt(1599.99, "$#,##0.00;[Red]($#,##0.00)"), "$1,599.99");
  EXPECT_EQ(fmt(-9.5, std::string(excel_builtin_format(39))), "(9.50)");
  EXPECT_EQ(fmt(0, "0.00;-0.00;\"zero\""), "zero");
  EXPECT_EQ(fmt(5, "0.00;-0.00;\"zero\""), "5.00");
  EXPECT_EQ(fmt(0, "General;-General;\"-\""), "-");
  EXPECT_EQ(fmt(0.025, "0%"), "3%");
  EXPECT_EQ(fmt(2.5, "0"), "3");
  EXPECT_EQ(fmt(-0.125, "0.00"), "-0.13");
  EXPECT_EQ(fmt(-0.001, "0.00"), "0.00");  // no "-0.00"
  EXPECT_EQ(fmt(-198000000, "0.00E+00"), "-1.98E+08");
}

TEST(CellFormat, XlsxCellsAsTikaShowsThem) {
  // Tika 2.9.2's text of this openpyxl file, whitespace reduced.
  EXPECT_EQ(testing::extract_corpus("ooxml", "formats.xlsx"),
            "Formats Label Value Date 2024-01-15 US date 12/31/23 Long date 4 July 2022 Short "
            "month 9-Mar-21 Time 14:05:09 Date time 2024-01-15 09:30 Percent 25.6% Whole "
            "percent 50% Money 1,234,567.89 Fixed 3.10 Integer 42 General 0.1 Text format 00123");
}

}  // namespace
}  // namespace connectors::extraction::formats
