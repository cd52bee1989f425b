#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "legacy_fixtures.h"

namespace connectors::extraction {
namespace {

using testing::extract_fixture;
using testing::failure_of;
using ::testing::HasSubstr;
using ::testing::Not;

// Tika's PowerPointParserTest.testPowerPointParser. The file was saved twice:
// only the live edit's text comes out, once.
TEST(PptTest, SlideTextOfTheLatestEditOnly) {
  EXPECT_EQ(
      extract_fixture("ppt/testPPT.ppt"),
      "Sample Powerpoint Slide Created with Microsoft Powerpoint X for Mac Service Release 1");
}

// Tika's testVarious: 8-bit and UTF-16 atoms, tables, notes, non-Latin text.
TEST(PptTest, TablesListsFootnotesAndNonLatinText) {
  const std::string text = extract_fixture("ppt/testPPT_various.ppt");
  EXPECT_THAT(text, HasSubstr("Row 1 Col 1 Row 1 Col 2 Row 1 Col 3 Row 2 Col 1"));
  EXPECT_THAT(text, HasSubstr("Here is a text box"));
  EXPECT_THAT(text, HasSubstr("Bullet 1 Bullet 2 Bullet 3"));
  EXPECT_THAT(text, HasSubstr("This is the header text."));
  EXPECT_THAT(text, HasSubstr("[1] This is a footnote."));
  EXPECT_THAT(text, HasSubstr("\u30be\u30eb\u30b2\u3068\u5c3e\u5d0e\u3001\u6de1\u3005\u3068"));
  EXPECT_THAT(text, HasSubstr("\U00010332\U0001033F\U00010344\U00010339\U00010343\U0001033A"));
  EXPECT_THAT(text, Not(HasSubstr("_ftn1")));  // hyperlink targets
}

// The notes master's and the handout's header and footer are page layout,
// not text of the slides: the notes' own copy is the one kept, as in Tika.
TEST(PptTest, HeaderAndFooterOfTheNotesOnlyNotOfHandoutOrNotesMaster) {
  const std::string text = extract_fixture("ppt/testPPT_various.ppt");
  const std::string header = "This is the header text.";
  const auto first = text.find(header);
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(text.find(header, first + 1), std::string::npos) << text;
  EXPECT_EQ(text.rfind("This is the footer text. This is the header text."),
            text.size() - std::string("This is the footer text. This is the header text.").size());
}

// Tika's testMasterText, testMasterFooter: what the author put on a master,
// not the masters' placeholders, tags or object names.
TEST(PptTest, MasterTextWithoutPlaceholders) {
  EXPECT_EQ(extract_fixture("ppt/testPPT_masterText.ppt"), "Text that I added to the master slide");
  // Two masters carry the footer; the one slide uses the second: its footer
  // once from the master, once from the slide, as Tika.
  EXPECT_EQ(extract_fixture("ppt/testPPT_masterFooter.ppt"),
            "Master footer is here Master footer is here");
  const std::string chart = extract_fixture("ppt/testMSChart-govdocs-428996.ppt");
  EXPECT_EQ(chart,
            "Thin Film Partnership Subcontract Budgets (out the door); 2002-2005 Actuals "
            "Subcontract $$$ out the door has dropped 36% since 2002.");
}

TEST(PptTest, PicturesOnlyGiveEmptyText) { EXPECT_EQ(extract_fixture("ppt/pictures.ppt"), ""); }

TEST(PptTest, EncryptedPresentationIsAnExtractionError) {
  EXPECT_EQ(failure_of("ppt/testPPT_protected_passtika.ppt"), "encrypted presentation");
}

TEST(PptTest, AnOle2FileWithoutPowerPointDocumentIsAnExtractionError) {
  EXPECT_EQ(testing::failure_as("xls/testEXCEL.xls", ".ppt"),
            "no PowerPoint Document stream (not a PowerPoint file)");
}

}  // namespace
}  // namespace connectors::extraction
