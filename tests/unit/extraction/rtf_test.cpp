#include "extraction/formats/rtf.h"

#include <gtest/gtest.h>

#include "corpus.h"
#include "extraction/plain_text.h"

namespace connectors::extraction {
namespace {

using formats::rtf_text;
using testing::corpus_prefix;
using testing::extract_corpus;
using testing::ScratchFile;

std::string rtf(const std::string& body) { return reduce_whitespace(rtf_text(body)); }

TEST(RtfFormat, TikaCorpus) {
  // Expectations of Tika's RTFParserTest.
  EXPECT_EQ(extract_corpus("rtf", "testRTF.rtf"), "Test d\xE2\x80\x99indexation Word");
  EXPECT_EQ(extract_corpus("rtf", "testRTFIgnoredControlWord.rtf"),
            "The quick brown fox jumps over the lazy dog");
  EXPECT_EQ(extract_corpus("rtf", "testRTFWithCurlyBraces.rtf"),
            "{ some text inside curly brackets }");
  EXPECT_EQ(extract_corpus("rtf", "testRTFTableCellSeparation2.rtf"),
            "Fax / Phone Station Fax / Phone #");
  EXPECT_EQ(extract_corpus("rtf", "testRTFHexEscapeInsideWord.rtf"),
            "GOVERNO DO ESTADO DO ESP\xC3\x8DRITO SANTO");
  EXPECT_EQ(extract_corpus("rtf", "testRTFNewlines.rtf"), "one two three four");
}

TEST(RtfFormat, CodePagesOfDocumentAndFonts) {
  // \ansicpg1250.
  EXPECT_EQ(extract_corpus("rtf", "testRTFWindowsCodepage1250.rtf"),
            "za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87 g\xC4\x99\xC5\x9Bl\xC4\x85 ja\xC5\xBA\xC5\x84 "
            "ZA\xC5\xBB\xC3\x93\xC5\x81\xC4\x86 G\xC4\x98\xC5\x9AL\xC4\x84 JA\xC5\xB9\xC5\x83");
  // \fcharset128: Shift_JIS bytes in a Japanese font.
  EXPECT_EQ(extract_corpus("rtf", "testRTF-ms932.rtf"),
            "Hello \xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF Test "
            "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88");
  EXPECT_EQ(rtf("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}{\\f1\\fcharset204 Cyr;}}"
                "\\f0 caf\\'e9 {\\f1 \\'cc\\'ee\\'f1\\'ea\\'e2\\'e0}}"),
            "caf\xC3\xA9 \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0");
}

TEST(RtfFormat, UnicodeWithFallbacksAndSurrogates) {
  EXPECT_EQ(extract_corpus("rtf", "testRTFUnicodeGothic.rtf"),
            "\xF0\x90\x8C\xB2\xF0\x90\x8C\xBF\xF0\x90\x8D\x84\xF0\x90\x8C\xB9\xF0\x90\x8D\x83"
            "\xF0\x90\x8C\xBA");
  EXPECT_EQ(extract_corpus("rtf", "testRTFUnicodeUCNControlWordCharacterDoubling.rtf"),
            "0 \xE5\xB9\xB4 abc \xE5\xBF\xB5");
  EXPECT_EQ(extract_corpus("rtf", "testRTFInvalidUnicode.rtf"),
            "Unpaired hi \xEF\xBF\xBD here Unpaired lo \xEF\xBF\xBD here Mismatched pair "
            "\xEF\xBF\xBD\xEF\xBF\xBD here");
  // \uc2: two fallback characters, one of them a \'hh escape.
  EXPECT_EQ(rtf("{\\rtf1\\uc2 a\\u8364\\'80Eb}"),
            "a\xE2\x82\xAC"
            "b");
}

TEST(RtfFormat, DestinationsAndBinaryDataAreNotText) {
  EXPECT_EQ(rtf("{\\rtf1{\\info{\\title Secret title}}{\\*\\generator Writer;}"
                "{\\pict\\pngblip 89504e47}{\\field{\\*\\fldinst HYPERLINK \"http://x\"}"
                "{\\fldrslt link text}} body\\par{\\*\\unknown dropped}end}"),
            "link text body end");
  // \bin data may hold braces and backslashes.
  EXPECT_EQ(rtf(std::string("{\\rtf1 a{\\pict\\bin4 }{\\\\}b}", 26)), "ab");
  EXPECT_EQ(extract_corpus("rtf", "testBinControlWord.rtf"), "");
}

TEST(RtfFormat, BreaksTabsAndSpecialCharacters) {
  EXPECT_EQ(rtf_text("{\\rtf1 a\\par b\\line c\\tab d\\cell e\\row f\\emdash g\\~h\\{i\\}}"),
            "a\nb\nc\td\te\nf\xE2\x80\x94g\xC2\xA0h{i}");
}

TEST(RtfFormat, MalformedInput) {
  ScratchFile text("text.rtf", "plain text, not RTF");
  try {
    text.extract();
    FAIL() << "no error for a file that is not RTF";
  } catch (const ExtractionError& e) {
    EXPECT_STREQ(e.what(), "not an RTF file (no {\\rtf header)");
  }
  // Deep nesting is bounded, not a stack overflow.
  EXPECT_THROW(rtf_text("{\\rtf1 " + std::string(100000, '{')), ExtractionError);
  // A truncated file keeps the text it has; unbalanced closing braces end it.
  ScratchFile truncated("truncated.rtf", corpus_prefix("rtf", "testRTFNewlines.rtf", 3000));
  EXPECT_NO_THROW(truncated.extract());
  EXPECT_EQ(rtf("{\\rtf1 kept}} dropped {"), "kept");
  EXPECT_EQ(rtf("{\\rtf1 \\'zz\\'4 \\u\\"), "");
}

}  // namespace
}  // namespace connectors::extraction
