#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "legacy_fixtures.h"

namespace connectors::extraction {
namespace {

using testing::extract_fixture;
using ::testing::HasSubstr;

// Tika's OOXMLParserTest.testXLSBVarious on the same file: shared strings,
// integers, doubles, 15- and 16-digit numbers, formula results.
TEST(XlsbTest, SharedStringsNumbersAndFormulaResults) {
  const std::string text = extract_fixture("xlsb/testEXCEL_various.xlsb");
  EXPECT_THAT(text, HasSubstr("mySheet1 String This is a string integer 13 float 13.1211231321"));
  EXPECT_THAT(text, HasSubstr("percent 20%"));
  EXPECT_THAT(text, HasSubstr("long int 123456789012345 longer int 1.23456789012345E+15"));
  EXPECT_THAT(text, HasSubstr("formula 4 2"));
  EXPECT_THAT(text, HasSubstr("formulaFloat 0.5 March April"));
}

// Tika gives them too: every header and footer, each comment.
TEST(XlsbTest, HeadersFootersAndComments) {
  const std::string text = extract_fixture("xlsb/testEXCEL_various.xlsb");
  EXPECT_THAT(text, HasSubstr("OddLeftHeader OddCenterHeader OddRightHeader OddLeftFooter"));
  EXPECT_THAT(text, HasSubstr("FirstPageRightFooter"));
  EXPECT_THAT(text, HasSubstr("Allison, Timothy B.: comment1"));
  EXPECT_THAT(text, HasSubstr("Allison, Timothy B.: comment8 end of file"));
}

// Tika's testXLSBExcelParser; this writer puts 4 more bytes in BrtBundleSh.
// The sheet's drawing (text box, WordArt) and its chart's title, as Tika.
TEST(XlsbTest, DrawingsAndChartTitles) {
  const std::string text = extract_fixture("xlsb/testEXCEL_various.xlsb");
  EXPECT_THAT(text, HasSubstr("test textbox"));
  EXPECT_THAT(text, HasSubstr("test WordArt"));
  EXPECT_THAT(text, HasSubstr("myChartTitle"));
}

TEST(XlsbTest, SheetNamesInTheWorkbooksOrder) {
  EXPECT_EQ(extract_fixture("xlsb/testEXCEL.xlsb"),
            "Sheet1 This is an example spreadsheet created with Microsoft Excel 2007 Beta 2. "
            "Sheet2 Sheet3");
}

// Tika's output for the same file, number formats of xl/styles.bin applied.
TEST(XlsbTest, NumbersInTheirCellsFormats) {
  const std::string text = extract_fixture("xlsb/test-columnar.xlsb");
  EXPECT_THAT(text, HasSubstr("testing Record Number Square of the Record Number"));
  EXPECT_THAT(text, HasSubstr("2 4 This is row 2 of 10 20.00% 50.00% 17-01-1960 01Jan60 00:01:40 "
                              "0:00:09"));
  EXPECT_THAT(text, HasSubstr("10 100 This is row 10 of 10 100.00% 90.00% 19-05-1987 19Nov76 "
                              "17:46:40 16:24:09"));
  const std::string various = extract_fixture("xlsb/testEXCEL_various.xlsb");
  EXPECT_THAT(various, HasSubstr("currency $ 3.03 percent 20% float 2 13.12 "));
  EXPECT_THAT(various, HasSubstr("date 3/9/17"));
  EXPECT_THAT(various, HasSubstr("fraction 1/4 date"));
  // The same workbook with BrtWbProp's f1904 set (make_1904.py).
  EXPECT_THAT(extract_fixture("xlsb/various-1904.xlsb"), HasSubstr("date 3/10/21"));
}

TEST(XlsbTest, NotAZipOrNotAWorkbookIsAnExtractionError) {
  EXPECT_EQ(testing::failure_of_bytes("binary.xlsb", std::string("rows\0and columns", 16)),
            "not a readable zip archive (Not a zip archive)");
  EXPECT_EQ(testing::failure_of_bytes("text.xlsb", "rows and columns"), "");  // text: read as text
  EXPECT_EQ(testing::failure_as("xls/testEXCEL.xls", ".xlsb"),
            "an OLE2 file, not an OOXML zip: encrypted, or a legacy Office format");
  const std::string empty_zip = std::string("PK\x05\x06", 4) + std::string(18, '\0');
  EXPECT_EQ(testing::failure_of_bytes("empty.xlsb", empty_zip),
            "zip entry xl/workbook.bin missing (not an .xlsb workbook)");
}

}  // namespace
}  // namespace connectors::extraction
