#include "extraction/formats/text.h"

#include <gtest/gtest.h>

#include "corpus.h"

namespace connectors::extraction {
namespace {

using testing::extract_corpus;
using testing::ScratchFile;

TEST(TextFormat, Utf8StaysUtf8) {
  EXPECT_EQ(extract_corpus("text", "english.txt"), "This is English!");
  EXPECT_NE(extract_corpus("text", "testTXTNonASCIIUTF8.txt")
                .find("Der schnelle braune Fuchs springt \xC3\xBC"
                      "ber den faulen Hund"),
            std::string::npos);
  EXPECT_EQ(extract_corpus("text", "script.py"), "def greet(name): return f'hello {name}'");
}

TEST(TextFormat, ByteOrderMarksDecideAndAreDropped) {
  EXPECT_EQ(extract_corpus("text", "utf16le_bom.txt"),
            "Gr\xC3\xBC\xC3\x9F"
            "e aus K\xC3\xB6ln, na\xC3\xAFve caf\xC3\xA9");
  EXPECT_EQ(extract_corpus("text", "utf16be_bom.md"),
            "# \xC3\x9C"
            "berschrift Z\xC3\xBCrich und Gen\xC3\xA8ve");
  EXPECT_EQ(extract_corpus("text", "utf8_bom.csv"), "name,city Jos\xC3\xA9,M\xC3\xA1laga");
}

TEST(TextFormat, LegacyEncodingsAreDetected) {
  // Windows-1252 smart quotes (Tika's own test file).
  EXPECT_NE(extract_corpus("text", "testTXT_win-1252.txt").find("\xE2\x80\x9C"), std::string::npos);
  EXPECT_EQ(extract_corpus("text", "latin1.tsv"),
            "name city Jos\xC3\xA9 M\xC3\xA1laga Fran\xC3\xA7ois Besan\xC3\xA7on");
  // "Мороз и солнце" in CP866 (Tika's test file: Pushkin).
  EXPECT_NE(
      extract_corpus("text", "russian.cp866.txt").find("\xD0\xBC\xD0\xBE\xD1\x80\xD0\xBE\xD0\xB7"),
      std::string::npos);
  // 日本語 in Shift_JIS.
  EXPECT_NE(extract_corpus("text", "shift_jis.txt").find("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"),
            std::string::npos);
}

TEST(TextFormat, ConversionReplacesWhatItCannotDecode) {
  EXPECT_EQ(formats::convert_to_utf8("a\xFF"
                                     "b",
                                     "UTF-8"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(formats::convert_to_utf8("\xE9", "ISO-8859-1"), "\xC3\xA9");
  EXPECT_THROW(formats::convert_to_utf8("x", "NO-SUCH-CHARSET"), ExtractionError);
  // An odd byte count in UTF-16: the dangling byte is replaced, not dropped silently.
  EXPECT_EQ(formats::decode_text(std::string("\xFF\xFE"
                                             "a\0b",
                                             5)),
            "a\xEF\xBF\xBD");
}

TEST(TextFormat, EmptyFileIsEmptyText) {
  ScratchFile empty("empty.txt", "");
  EXPECT_EQ(empty.extract(), "");
  EXPECT_THROW(extract_file("/nonexistent/x.txt", ".txt"), ExtractionError);
}

}  // namespace
}  // namespace connectors::extraction
