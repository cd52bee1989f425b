#include "extraction/formats/ole.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "legacy_fixtures.h"

namespace connectors::extraction::formats {
namespace {

using ::testing::Contains;

TEST(OleTest, StreamsAndTheirSizeCap) {
  const OleStorage root = OleStorage::open(testing::fixture("xls/testEXCEL.xls"));
  EXPECT_THAT(root.children(), Contains("Workbook"));
  const auto workbook = root.read("Workbook", kMaxOleStreamBytes);
  ASSERT_TRUE(workbook.has_value());
  EXPECT_GT(workbook->size(), 512u);
  EXPECT_FALSE(root.read("NoSuchStream", kMaxOleStreamBytes).has_value());
  EXPECT_FALSE(root.storage("Workbook").has_value());  // a stream, not a storage
  EXPECT_THROW(root.read("Workbook", 100), ExtractionError);
}

TEST(OleTest, SubStoragesOfAnOutlookMessage) {
  const OleStorage root = OleStorage::open(testing::fixture("msg/testMSG.msg"));
  const auto recipient = root.storage("__recip_version1.0_#00000000");
  ASSERT_TRUE(recipient.has_value());
  EXPECT_THAT(recipient->children(), Contains("__substg1.0_3001001E"));
  EXPECT_FALSE(root.read("__recip_version1.0_#00000000", kMaxOleStreamBytes).has_value());
}

TEST(OleTest, NotAnOle2File) {
  try {
    OleStorage::open(testing::fixture("xlsb/testEXCEL.xlsb"));
    FAIL() << "a zip opened as OLE2";
  } catch (const ExtractionError& error) {
    EXPECT_STREQ(error.what(), "not an OLE2 file");
  }
}

TEST(OleTest, TemporaryFileIsRemovedWithIt) {
  std::filesystem::path path;
  {
    const TemporaryFile file("ole-test-", ".bin");
    path = file.path();
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ(path.extension(), ".bin");
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(OleTest, LegacyEncodings) {
  // U+00E9, U+20AC, U+1D11E (a surrogate pair), an unpaired high surrogate.
  EXPECT_EQ(utf16le_to_utf8(std::string("\xE9\x00\xAC\x20\x34\xD8\x1E\xDD\x00\xD8", 10)),
            "\u00E9\u20AC\U0001D11E\uFFFD");
  EXPECT_EQ(cp1252_to_utf8("\x80\x93\xE9"), "\u20AC\u201C\u00E9");
  EXPECT_EQ(latin1_to_utf8("\x80\xE9"), "\u0080\u00E9");
  EXPECT_EQ(codepage_to_utf8("\xB1\x69", 950), "\u5F35");  // Big5
  EXPECT_EQ(codepage_to_utf8("\x8E", 10000), "\u00E9");    // Mac Roman
  EXPECT_EQ(codepage_to_utf8("\x80", 4242), "\u20AC");     // unknown: Windows-1252
}

}  // namespace
}  // namespace connectors::extraction::formats
