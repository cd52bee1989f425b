#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "legacy_fixtures.h"

namespace connectors::extraction {
namespace {

using testing::extract_fixture;
using testing::failure_of;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(DocTest, TextOfTheMainDocumentHeadersAndFooters) {
  const std::string text = extract_fixture("doc/testWORD.doc");
  EXPECT_THAT(text, HasSubstr("Sample Word Document Title And now for a subtitle Main Heading"));
  EXPECT_THAT(text, HasSubstr("This document includes text that is BOLD and ITALIC."));
  EXPECT_THAT(text, HasSubstr("That\u2019s it!"));  // a UTF-16 piece
  EXPECT_THAT(text, HasSubstr("This is the header for our document"));
}

// Tika's WordParserTest.testVarious on the same file.
TEST(DocTest, FootnotesTablesTextBoxesAndNonLatinText) {
  const std::string text = extract_fixture("doc/testWORD_various.doc");
  EXPECT_THAT(text, HasSubstr("Footnote appears here"));
  EXPECT_THAT(text, HasSubstr("This is a footnote."));
  EXPECT_THAT(text, HasSubstr("This is the header text."));
  EXPECT_THAT(text, HasSubstr("Here is a text box"));
  EXPECT_THAT(text, HasSubstr("Figure 1 This is a caption for Figure 1"));
  EXPECT_THAT(text, HasSubstr("Row 1 Col 1 Row 1 Col 2 Row 1 Col 3 Row 2 Col 1"));
  EXPECT_THAT(text, HasSubstr("\u30be\u30eb\u30b2\u3068\u5c3e\u5d0e"));  // Japanese
  EXPECT_THAT(text, HasSubstr("\U00010332\U0001033F"));                  // Gothic: surrogate pairs
}

TEST(DocTest, FieldCodesAreDroppedAndTheirResultsKept) {
  const std::string text = extract_fixture("doc/testWORD.doc");
  EXPECT_THAT(text, HasSubstr("Apache Tika: http://tika.apache.org/ Tika"));
  EXPECT_THAT(text, Not(HasSubstr("HYPERLINK")));
  EXPECT_THAT(text, Not(HasSubstr("PAGEREF")));
  EXPECT_THAT(extract_fixture("doc/testWORD_tabular_symbol.doc"), HasSubstr("one two"));
}

TEST(DocTest, Word6DocumentsThatAreNotFastSaved) {
  EXPECT_EQ(extract_fixture("doc/testWORD6.doc"), "The quick brown fox jumps over the lazy dog");
}

TEST(DocTest, EncryptedDocumentIsAnExtractionError) {
  EXPECT_EQ(failure_of("doc/testWORD_protected_passtika.doc"), "encrypted document");
}

TEST(DocTest, AnOle2FileWithoutWordDocumentIsAnExtractionError) {
  EXPECT_EQ(testing::failure_as("xls/testEXCEL.xls", ".doc"),
            "no WordDocument stream (not a Word document)");
}

}  // namespace
}  // namespace connectors::extraction
