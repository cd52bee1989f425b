#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "legacy_fixtures.h"

namespace connectors::extraction {
namespace {

using testing::extract_fixture;
using ::testing::HasSubstr;

// Tika's VisioParserTest.testVisioParser on the same file.
TEST(VsdTest, TextOfTheShapesOfEveryPage) {
  const std::string text = extract_fixture("vsd/testVISIO.vsd");
  EXPECT_THAT(text, HasSubstr("Test View"));
  EXPECT_THAT(text, HasSubstr("I am a test view"));
  EXPECT_THAT(text, HasSubstr("Some random text, on a page"));
}

// libvisio's own test drawings, one per Visio version: text fields formatted
// with their units.
TEST(VsdTest, Visio5To2003DrawingsAndTheirTextFields) {
  EXPECT_EQ(extract_fixture("vsd/Visio5TextFieldsWithUnits.vsd"), "Example testing text");
  EXPECT_THAT(extract_fixture("vsd/Visio6TextFieldsWithUnits.vsd"),
              HasSubstr("Text with [cm] units 1.0 cm Text without any units 1.0"));
  EXPECT_THAT(extract_fixture("vsd/Visio11TextFieldsWithUnits.vsd"),
              HasSubstr("Number1 with unit [cm] 1 cm Number 1 with unit [cm] hidden 1"));
}

TEST(VsdTest, AnotherOle2FileIsNotAVisioFile) {
  EXPECT_EQ(testing::failure_as("xls/testEXCEL.xls", ".vsd"), "not a Visio file");
  EXPECT_EQ(testing::failure_of_bytes("binary.vsd", std::string("shapes\0", 7)),
            "not a Visio file");
  EXPECT_EQ(testing::failure_of_bytes("text.vsd", "shapes"), "");  // text: read as text
}

}  // namespace
}  // namespace connectors::extraction
