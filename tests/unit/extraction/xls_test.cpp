#include "extraction/formats/xls.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "legacy_fixtures.h"

namespace connectors::extraction {
namespace {

using testing::extract_fixture;
using testing::failure_of;
using ::testing::HasSubstr;
using ::testing::Not;

// Tika's ExcelParserTest.testExcelParser on the same file.
TEST(XlsTest, SheetNamesCellsAndIntegralNumbersAsTikaPrintsThem) {
  const std::string text = extract_fixture("xls/testEXCEL.xls");
  EXPECT_THAT(text, HasSubstr("Sample Excel Worksheet"));
  EXPECT_THAT(text, HasSubstr("Numbers and their Squares Number Square 1 1"));
  EXPECT_THAT(text, HasSubstr(" 196"));
  EXPECT_THAT(text, Not(HasSubstr("9.0")));
  EXPECT_THAT(text, Not(HasSubstr("196.0")));
}

// Tika's output for the same file, less its fraction ("2 1/2") and its custom
// date (Tika prints the serial, 39219.18056369212).
TEST(XlsTest, NumbersInTheirCellsFormatsAndLargeNumbers) {
  const std::string formats = extract_fixture("xls/testEXCEL-formats.xls");
  EXPECT_THAT(formats, HasSubstr("Number #,##0.00 1,599.99 -1,599.99 | Currency "
                                 "$#,##0.00;[Red]($#,##0.00) $1,599.99 ($1,599.99) | Scientific "
                                 "0.00E+00 1.98E+08 -1.98E+08 | Percentage (0.025) 3% 2.50%"));
  EXPECT_THAT(formats, HasSubstr("Time Format: h:mm AM/PM 6:15 AM 6:15 PM | Time Format: h:mm "
                                 "6:15 18:15 | Date Format: m/d/yy 10/3/09 | Date Format: d-mmm-yy "
                                 "17-May-07 | Date/Time Format 1/19/08 4:35 | Custom Number: 19.99 "
                                 "dollars and cents"));
  const std::string big = extract_fixture("xls/testEXCEL_big_numbers.xls");
  // Tika's ExcelParserTest.testBigIntegersWGeneralFormat: a number, a formula.
  EXPECT_THAT(big, HasSubstr("123456789012345 123456789012346 "
                             "1.23456789012345E+15 1.23456789012345E+15"));
}

// Tika's ExcelParserTest.testHeaderAndFooterExtraction on the same file.
TEST(XlsTest, PageHeadersAndFootersAfterTheSheetsCells) {
  const std::string text = extract_fixture("xls/testEXCEL_headers_footers.xls");
  EXPECT_THAT(text, HasSubstr("John Smith82 82 Corporate HQ Header - Corporate Spreadsheet "
                              "Header - For Internal Use Only Header - Author: John Smith "
                              "Footer - Corporate Spreadsheet"));
}

TEST(XlsTest, HeaderAndFooterCodesAreRemoved) {
  EXPECT_EQ(formats::header_footer_text("&L&\"Arial,Bold\"&12Left&CPage &P of &N&R&KFF0000R&&D"),
            " Left Page  of  R&D");
}

// Found by the bit-flip fuzzing: the Root Entry's name length of 0x7F16
// made FreeXL's own OLE2 reader read past a stack buffer (ASan aborts). FreeXL
// now gets the Workbook stream in a container libgsf writes.
TEST(XlsTest, CorruptOle2DirectoryDoesNotReachFreeXL) {
  EXPECT_THAT(extract_fixture("regressions/freexl-directory-name-length.xls"),
              HasSubstr("Format Examples | Number #,##0.00 1,599.99"));
}

TEST(XlsTest, NumberFormats) {
  using formats::excel_formatted_number;
  EXPECT_EQ(excel_formatted_number(0.025, "0.00%"), "2.50%");
  EXPECT_EQ(excel_formatted_number(0.2, "0%"), "20%");
  EXPECT_EQ(excel_formatted_number(1599.99, "#,##0.00"), "1,599.99");
  EXPECT_EQ(excel_formatted_number(-1599.99, "$#,##0.00;[Red]($#,##0.00)"), "($1,599.99)");
  EXPECT_EQ(excel_formatted_number(19.99, "0.00 \"dollars and cents\""), "19.99 dollars and cents");
  EXPECT_EQ(excel_formatted_number(40089, "m/d/yy"), "10/3/09");
  EXPECT_EQ(excel_formatted_number(39219, "d-mmm-yy"), "17-May-07");
  EXPECT_EQ(excel_formatted_number(39466.1909837963, "m/d/yy h:mm"), "1/19/08 4:35");
  EXPECT_EQ(excel_formatted_number(0.26042824, "h:mm AM/PM"), "6:15 AM");
  EXPECT_EQ(excel_formatted_number(0.76042824, "h:mm:ss"), "18:15:01");
  EXPECT_EQ(excel_formatted_number(21916, "[$-409]dd\\-mm\\-yyyy;@"), "01-01-1960");
  EXPECT_EQ(excel_formatted_number(60, "yyyy-mm-dd"), "1900-02-29");  // Lotus's leap day
  EXPECT_EQ(excel_formatted_number(61, "yyyy-mm-dd"), "1900-03-01");
  EXPECT_EQ(excel_formatted_number(1, "yyyy-mm-dd"), "1900-01-01");
  EXPECT_EQ(excel_formatted_number(59, "yyyy-mm-dd"), "1900-02-28");
  EXPECT_EQ(excel_formatted_number(45000, "dddd d mmmm yyyy"), "Wednesday 15 March 2023");
  EXPECT_EQ(excel_formatted_number(1, std::string(5000, '0') + "." + std::string(5000, '0')),
            "1.000000000000000000000000000000");           // decimals capped
  EXPECT_EQ(excel_formatted_number(2.5, "# ?/?"), "2.5");  // fractions: General
  EXPECT_EQ(excel_formatted_number(198356388, "0.00E+00"), "1.98E+08");
  EXPECT_EQ(excel_formatted_number(0.025, "0%"), "3%");  // halves away from zero
  EXPECT_EQ(excel_formatted_number(13.1211231321, ""), "13.1211231321");
}

TEST(XlsTest, PasswordProtectedWorkbookIsAnExtractionError) {
  EXPECT_EQ(failure_of("xls/testEXCEL_protected_passtika.xls"), "password-protected workbook");
}

TEST(XlsTest, NotAnOle2FileIsAnExtractionError) {
  EXPECT_EQ(testing::failure_of_bytes("plain.xls", "just some text, no OLE2 header"),
            "not an OLE2 file");
}

}  // namespace
}  // namespace connectors::extraction
