#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extraction/formats/xls_format.h"
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
  EXPECT_THAT(formats, HasSubstr("Fraction (2.5) 2 1/2"));
  const std::string big = extract_fixture("xls/testEXCEL_big_numbers.xls");
  // Tika's ExcelParserTest.testBigIntegersWGeneralFormat: a number, a formula.
  EXPECT_THAT(big, HasSubstr("123456789012345 123456789012346 "
                             "1.23456789012345E+15 1.23456789012345E+15"));
}

// The same workbook with its DATEMODE record set (make_1904.py): the same
// serials are dates 1 462 days later, as Excel for Mac shows them.
TEST(XlsTest, DatesOfA1904Workbook) {
  const std::string text = extract_fixture("xls/formats-1904.xls");
  EXPECT_THAT(text, HasSubstr("Date Format: m/d/yy 10/4/13 | Date Format: d-mmm-yy 18-May-11"));
  EXPECT_THAT(text, HasSubstr("At 4:20 AM on Wednesday May 18, 2011"));
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

// Inputs on which FreeXL 1.0.6 (Debian's, which the first version of this
// parser used) read past a stack buffer (a Root Entry name length of 0x7F16)
// and crashed (a corrupt BIFF record): both found by our fuzzing.
TEST(XlsTest, InputsThatCrashedFreeXL) {
  EXPECT_THAT(extract_fixture("regressions/freexl-directory-name-length.xls"),
              HasSubstr("Format Examples | Number #,##0.00 1,599.99"));
  EXPECT_THAT(extract_fixture("regressions/freexl-biff-segv.xls"),
              HasSubstr("1.23456789012345E+15"));
}

// Excel 5 (BIFF5): the Book stream, 8-bit strings in the workbook's code page.
TEST(XlsTest, Excel5Workbooks) {
  EXPECT_THAT(extract_fixture("xls/testEXCEL_5.xls"),
              HasSubstr("Feuil1 Sample Excel Worksheet - Numbers and their Squares Number Square "
                        "1 1 2 4 3 9"));
}

// make_xls.py: a shared string table split across a CONTINUE record.
TEST(XlsTest, SharedStringsAcrossContinueRecordsAndCellTypes) {
  const std::string text = extract_fixture("xls/generated-sst-continue.xls");
  for (int row = 0; row < 600; ++row) {
    const std::string expected =
        row % 2 != 0 ? "Ligne " + std::to_string(row) + " r\u00e9sum\u00e9 caf\u00e9"
                     : "Row " + std::to_string(row) + " \u6771\u4eac \u0416\u0443\u043a";
    ASSERT_THAT(text, HasSubstr(expected));
  }
  EXPECT_THAT(text, ::testing::StartsWith("Donn\u00e9es Row 0 "));
  EXPECT_THAT(text, HasSubstr("Ligne 599 r\u00e9sum\u00e9 caf\u00e9 599,299.50 2024-02-29 12.5% "
                              "TRUE FALSE Generated header Page Second second sheet text"));
}

TEST(XlsTest, PasswordProtectedWorkbookIsAnExtractionError) {
  EXPECT_EQ(failure_of("xls/testEXCEL_protected_passtika.xls"), "password-protected workbook");
}

TEST(XlsTest, NotAnOle2FileIsAnExtractionError) {
  EXPECT_EQ(testing::failure_of_bytes("binary.xls", std::string("no OLE2\0header", 15)),
            "not an OLE2 file");
  // A text file named .xls (a CSV export, often): its text, as Tika gives it.
  EXPECT_EQ(testing::failure_of_bytes("plain.xls", "just some text, no OLE2 header"), "");
}

}  // namespace
}  // namespace connectors::extraction
