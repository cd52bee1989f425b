#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string_view>

#include "legacy_fixtures.h"

namespace connectors::extraction {
namespace {

using ::testing::EndsWith;
using testing::extract_fixture;
using ::testing::HasSubstr;

std::size_t occurrences(std::string_view text, std::string_view word) {
  std::size_t count = 0;
  for (auto at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    ++count;
  }
  return count;
}

// Tika's VisioParserTest.testVisioParser on the same file; Tika also has the
// text of two master shapes no page shows ("text", "View"), read from the
// drawing's Text chunks after the pages' text.
TEST(VsdTest, TextOfTheShapesOfEveryPageThenOfTheMasters) {
  const std::string text = extract_fixture("vsd/testVISIO.vsd");
  EXPECT_THAT(text, HasSubstr("Test View"));
  EXPECT_THAT(text, HasSubstr("I am a test view"));
  EXPECT_THAT(text, HasSubstr("Some random text, on a page"));
  EXPECT_THAT(text, EndsWith("on a page text View"));
  EXPECT_EQ(occurrences(text, "I am a test view"), 1u);
}

// libvisio's own test drawings, one per Visio version: text fields formatted
// with their units. libvisio draws one shape of the Visio 5 page; the others'
// text (as Tika has it, each field left out) comes from the Text chunks.
TEST(VsdTest, Visio5To2003DrawingsAndTheirTextFields) {
  const std::string visio5 = extract_fixture("vsd/Visio5TextFieldsWithUnits.vsd");
  for (const char* line :
       {"Example testing text", "Text with [cm] units %", "Text without any units $",
        "Text with [cm] units hidden $", "Number 1 formatted as rad +", "1 rad !",
        "Number 1 formatted as degree ,", "1 elapsed minute !", "1 picas %", "1 picapoints !",
        "1 ciceros and didots )", "1000.1 feet and inch )"}) {
    EXPECT_THAT(visio5, HasSubstr(line));
  }
  const std::string visio6 = extract_fixture("vsd/Visio6TextFieldsWithUnits.vsd");
  EXPECT_THAT(visio6, HasSubstr("Text with [cm] units 1.0 cm Text without any units 1.0"));
  const std::string visio11 = extract_fixture("vsd/Visio11TextFieldsWithUnits.vsd");
  EXPECT_THAT(visio11, HasSubstr("Number1 with unit [cm] 1 cm Number 1 with unit [cm] hidden 1"));
  // A Text chunk libvisio drew with its field's value is not added again.
  EXPECT_EQ(occurrences(visio6, "Text without any units"), 1u);
  EXPECT_EQ(occurrences(visio11, "Number 1 without unit"), 1u);
  EXPECT_EQ(occurrences(visio11, "1 elapsed hours"), 1u);
}

// Two bits flipped in testVISIO.vsd's VisioDocument stream: libvisio rejects
// the drawing, its Text chunks are intact (their stream order: masters first).
TEST(VsdTest, TheTextChunksOfADrawingLibvisioCannotParse) {
  std::ifstream in(testing::fixture("vsd/testVISIO.vsd"), std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ASSERT_EQ(bytes.size(), 45568u);
  bytes[12916] ^= 0x08;
  bytes[21525] ^= static_cast<char>(0x80);
  const auto path = std::filesystem::temp_directory_path() / "vsd_test_damaged.vsd";
  std::ofstream(path, std::ios::binary) << bytes;
  std::string text;
  EXPECT_NO_THROW(text = extract_file(path, ".vsd"));
  std::filesystem::remove(path);
  EXPECT_EQ(text, "text View Test View I am a test view Some random text, on a page");
}

TEST(VsdTest, AnotherOle2FileIsNotAVisioFile) {
  EXPECT_EQ(testing::failure_as("xls/testEXCEL.xls", ".vsd"), "not a Visio file");
  EXPECT_EQ(testing::failure_of_bytes("binary.vsd", std::string("shapes\0", 7)),
            "not a Visio file");
  EXPECT_EQ(testing::failure_of_bytes("text.vsd", "shapes"), "");  // text: read as text
}

}  // namespace
}  // namespace connectors::extraction
