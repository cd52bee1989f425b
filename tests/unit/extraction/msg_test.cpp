#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "legacy_fixtures.h"

namespace connectors::extraction {
namespace {

using testing::extract_fixture;
using ::testing::HasSubstr;

// Tika's OutlookParserTest.testOutlookParsing: UTF-16 properties.
TEST(MsgTest, SubjectSenderRecipientsAndBody) {
  const std::string text = extract_fixture("msg/testMSG.msg");
  EXPECT_THAT(text, HasSubstr("MIME registry use cases From: Jukka Zitting "
                              "To: tika-dev@lucene.apache.org Hi, As discussed,"));
  EXPECT_THAT(text, HasSubstr("BR, Jukka Zitting"));
}

TEST(MsgTest, AccentedDisplayNames) {
  const std::string text = extract_fixture("msg/test-outlook.msg");
  EXPECT_THAT(text, HasSubstr("Microsoft Outlook Express 6 From: L'\u00C9quipe Microsoft "
                              "Outlook Express To: Nouvel utilisateur de Outlook Express"));
}

// Tika's OutlookParserTest on the same file: 8-bit strings in code page 950 (Big5).
TEST(MsgTest, EightBitStringsInTheMessagesCodePage) {
  const std::string text = extract_fixture("msg/testMSG_chinese.msg");
  EXPECT_THAT(text, HasSubstr("Alfresco MSG format testing"));
  EXPECT_THAT(text, HasSubstr("\u5F35\u6BD3\u502B"));
  EXPECT_THAT(text, HasSubstr("\u9673\u60E0\u73CD"));
}

TEST(MsgTest, AttachmentFileNames) {
  const std::string text = extract_fixture("msg/testMSG_att_doc.msg");
  EXPECT_THAT(text, HasSubstr("test pi\u00E8ce jointe 1"));
  EXPECT_THAT(text, HasSubstr("test-unicode.doc"));
  EXPECT_THAT(text, HasSubstr("pj1.txt"));
}

TEST(MsgTest, AnOle2FileWithoutMapiPropertiesIsAnExtractionError) {
  const auto xls = testing::fixture("xls/testEXCEL.xls");
  EXPECT_EQ(testing::failure_of_bytes("workbook.msg",
                                      [&] {
                                        std::ifstream in(xls, std::ios::binary);
                                        return std::string(std::istreambuf_iterator<char>(in), {});
                                      }()),
            "not an Outlook message (no MAPI properties)");
  EXPECT_EQ(testing::failure_of_bytes("text.msg", "Subject: hi"), "not an OLE2 file");
}

}  // namespace
}  // namespace connectors::extraction
