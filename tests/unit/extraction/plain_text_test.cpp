#include "extraction/plain_text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

#include "core/glob.h"
#include "core/iso_time.h"

namespace connectors {
namespace {

TEST(PlainText, Extensions) {
  EXPECT_EQ(extraction::file_extension("dir/File.TXT"), ".txt");
  EXPECT_EQ(extraction::file_extension("noext"), "");
  EXPECT_EQ(extraction::file_extension(".bashrc"), "");
  EXPECT_EQ(extraction::file_extension("a.b/c"), "");
  EXPECT_TRUE(extraction::is_plain_text_extension(".md"));
  EXPECT_FALSE(extraction::is_plain_text_extension(".pdf"));
}

TEST(PlainText, SanitizeUtf8) {
  EXPECT_EQ(extraction::sanitize_utf8("plain"), "plain");
  EXPECT_EQ(extraction::sanitize_utf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(extraction::sanitize_utf8("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(extraction::sanitize_utf8("a\xC3"), "a\xEF\xBF\xBD");                // truncated
  EXPECT_EQ(extraction::sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(extraction::sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  // Valid runs on both sides of bad bytes are kept whole.
  EXPECT_EQ(extraction::sanitize_utf8("ab\xFF"
                                      "cd\xC3\xA9\x80"
                                      "ef"),
            "ab\xEF\xBF\xBD"
            "cd\xC3\xA9\xEF\xBF\xBD"
            "ef");
  EXPECT_EQ(extraction::sanitize_utf8("\xF4\x90\x80\x80"),  // past U+10FFFF
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(extraction::sanitize_utf8("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");    // U+10FFFF
  EXPECT_EQ(extraction::sanitize_utf8("x\xE2\x82"), "x\xEF\xBF\xBD\xEF\xBF\xBD");  // cut short
}

TEST(PlainText, ReduceWhitespace) {
  EXPECT_EQ(extraction::reduce_whitespace("  a \n\t b  c \n"), "a b c");
  EXPECT_EQ(extraction::reduce_whitespace(""), "");
  EXPECT_EQ(extraction::reduce_whitespace(" \v\f\r "), "");
  EXPECT_EQ(extraction::reduce_whitespace("one"), "one");
  EXPECT_EQ(extraction::reduce_whitespace("caf\xC3\xA9\r\nna\xC3\xAFve\v"),
            "caf\xC3\xA9 na\xC3\xAFve");
}

// Python's " ".join(text.split()) over ASCII whitespace, word by word.
std::string joined_words(const std::string& text) {
  std::string out, word;
  for (const char c : text + " ") {
    if (std::string_view(" \t\n\v\f\r").find(c) == std::string_view::npos) {
      word.push_back(c);
    } else if (!word.empty()) {
      out += (out.empty() ? "" : " ") + word;
      word.clear();
    }
  }
  return out;
}

TEST(PlainText, ReduceWhitespaceJoinsTheWordsOfRandomText) {
  std::mt19937 random(6122026);
  const std::string alphabet = "ab \t\n\v\f\r\x01\x1c\xA0\xC3";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1), length(0, 30);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (size_t n = length(random); n > 0; --n) text.push_back(alphabet[pick(random)]);
    ASSERT_EQ(extraction::reduce_whitespace(text), joined_words(text)) << round;
  }
}

TEST(Glob, Patterns) {
  EXPECT_TRUE(glob_match("**/*.*", "a.txt"));
  EXPECT_TRUE(glob_match("**/*.*", "x/y/a.txt"));
  EXPECT_FALSE(glob_match("**/*.*", "x/README"));
  EXPECT_TRUE(glob_match("*.txt", "a.txt"));
  EXPECT_FALSE(glob_match("*.txt", "x/a.txt"));
  EXPECT_TRUE(glob_match("docs/**", "docs/a/b.md"));
  EXPECT_TRUE(glob_match("docs/?.md", "docs/a.md"));
  EXPECT_TRUE(glob_match("[ab].txt", "b.txt"));
  EXPECT_FALSE(glob_match("*.txt", ".hidden.txt"));
}

TEST(IsoTime, LikePythonIsoformat) {
  EXPECT_EQ(iso_utc(0, 0), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(iso_utc(1704067200, 123456789), "2024-01-01T00:00:00.123456+00:00");
  EXPECT_EQ(iso_utc(std::chrono::system_clock::time_point(std::chrono::seconds(86400))),
            "1970-01-02T00:00:00+00:00");
}

}  // namespace
}  // namespace connectors
