#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "legacy_fixtures.h"

namespace connectors::extraction {
namespace {

using testing::extract_fixture;
using ::testing::HasSubstr;

// Tika's OutlookParserTest.testOutlookParsing: UTF-16 properties.
TEST(MsgTest, SubjectSenderRecipientsAndBody) {
  const std::string text = extract_fixture("msg/testMSG.msg");
  EXPECT_THAT(text, HasSubstr("MIME registry use cases From: Jukka Zitting "
                              "To: tika-dev@lucene.apache.org "
                              "Recipients: tika-dev@lucene.apache.org Hi, As discussed,"));
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

bool temporary_attachment_left() {
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
    if (entry.path().filename().string().starts_with("connectors-attachment-")) return true;
  }
  return false;
}

// Like Tika: the attachments' names, then their text (a .doc, a .txt).
TEST(MsgTest, AttachmentNamesAndText) {
  const std::string text = extract_fixture("msg/testMSG_att_doc.msg");
  EXPECT_THAT(text, HasSubstr("test pi\u00E8ce jointe 1"));
  EXPECT_THAT(text, HasSubstr("Recipients: nicolas1.23456@free.fr contenu"));
  EXPECT_THAT(text, HasSubstr("test-unicode.doc \u00E9cole (00E9)"));
  EXPECT_THAT(text, HasSubstr("euro : \u20AC (20AC) chinois : \uC925 (C925)"));
  EXPECT_THAT(text, HasSubstr("pj1.txt \u00E9cole (00E9) euro : \u20AC (20AC)"));
  EXPECT_FALSE(temporary_attachment_left());
}

// Tika's OutlookParserTest on the same file: an attached message (a storage) is read too.
TEST(MsgTest, AttachedMessages) {
  const std::string text = extract_fixture("msg/testMSG_att_msg.msg");
  EXPECT_THAT(text, HasSubstr("Test email with 1 msg attachment, 1 pdf"));
  EXPECT_THAT(text, HasSubstr("Test Attachment From: Nick Booth To: Nick Booth "
                              "Recipients: nick.booth@pof.com.au Blah blah blah"));
  EXPECT_THAT(text, HasSubstr("smbprn.00009008.KdcPjl.pdf"));
}

TEST(MsgTest, AnOle2FileWithoutMapiPropertiesIsAnExtractionError) {
  EXPECT_EQ(testing::failure_as("xls/testEXCEL.xls", ".msg"),
            "not an Outlook message (no MAPI properties)");
  EXPECT_EQ(testing::failure_of_bytes("binary.msg", std::string("Subject\0hi", 10)),
            "not an OLE2 file");
  EXPECT_EQ(testing::failure_of_bytes("text.msg", "Subject: hi"), "");  // text: read as text
}

}  // namespace
}  // namespace connectors::extraction
