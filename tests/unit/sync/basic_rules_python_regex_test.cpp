// name: regex basic rules read as Python reads them
// description: the framework applies `regex` rules with re.match(); each
// expectation below is what Python 3.11's re.match() returns for the same
// pattern and value (std::regex refused several of these patterns or read them
// differently). Bad patterns fail when the rules are read, naming the rule, and a
// catastrophic pattern fails the match instead of hanging the sync.
#include <gtest/gtest.h>

#include <chrono>

#include "core/errors.h"
#include "sync/basic_rules.h"

namespace connectors::sync {
namespace {

using nlohmann::json;

// One exclude rule `id` with this regex on the field `value`.
BasicRules regex_rule(const std::string& id, const std::string& pattern) {
  json rule = {{"id", id},        {"policy", "exclude"}, {"field", "value"},
               {"rule", "regex"}, {"value", pattern},    {"order", 0}};
  return BasicRules::from_filtering({{"rules", json::array({rule})}});
}

// Whether re.match(pattern, text) matches: the rule then excludes the document.
bool python_match(const std::string& pattern, const std::string& text) {
  return !regex_rule("r1", pattern).should_ingest({{"value", text}});
}

std::string config_error(const std::string& pattern) {
  try {
    python_match(pattern, "x");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(BasicRulesPythonRegex, InlineFlags) {
  EXPECT_TRUE(python_match("(?i)abc", "ABC"));
  EXPECT_FALSE(python_match("abc", "ABC"));
  EXPECT_TRUE(python_match("(?s)a.b", "a\nb"));
  EXPECT_FALSE(python_match("a.b", "a\nb"));
  EXPECT_TRUE(python_match("(?x) a b  # spaced out", "ab"));
  EXPECT_TRUE(python_match("(?m)x\n^b", "x\nb"));
  EXPECT_TRUE(python_match("(?a)(?i)ABC", "abc"));
}

TEST(BasicRulesPythonRegex, Lookbehind) {
  EXPECT_FALSE(python_match("(?<=a)b", "ab"));  // re.match starts at 0: nothing behind it
  EXPECT_TRUE(python_match("a(?<=a)b", "ab"));
  EXPECT_TRUE(python_match("(?<!x)b", "b"));
  EXPECT_FALSE(python_match("a(?<!a)b", "ab"));
}

TEST(BasicRulesPythonRegex, NamedGroupsAndBackreferences) {
  EXPECT_TRUE(python_match("(?P<n>x)(?P=n)", "xx"));
  EXPECT_FALSE(python_match("(?P<n>x)(?P=n)", "xy"));
  EXPECT_TRUE(python_match("(?P<year>\\d{4})-(?P<month>\\d\\d)", "2024-05-01"));
}

TEST(BasicRulesPythonRegex, AnchorsAsPython) {
  EXPECT_TRUE(python_match("\\Aabc\\Z", "abc"));
  EXPECT_FALSE(python_match("\\Aabc\\Z", "abc\n"));  // Python's \Z is the very end
  EXPECT_TRUE(python_match("^abc$", "abc\n"));       // $ also matches before a final \n
  EXPECT_FALSE(python_match("abc$", "abc\n\n"));
  EXPECT_TRUE(python_match("abc", "abcdef"));  // re.match: anchored at the start only
  EXPECT_FALSE(python_match("bc", "abc"));
  EXPECT_NE(config_error("[\\Z]"), "");  // Python refuses \Z in a class too
}

TEST(BasicRulesPythonRegex, UnicodeLikeAStrPattern) {
  EXPECT_TRUE(python_match("\\w{3}\\Z", "été"));
  EXPECT_TRUE(python_match("(?i)ÉTÉ", "été"));
  EXPECT_FALSE(python_match("(?a)\\w+", "été"));  // ASCII-only \w
  EXPECT_TRUE(python_match("\\u00e9t", "ét"));
  EXPECT_TRUE(python_match("\\U0001F600", "\xF0\x9F\x98\x80"));
  EXPECT_TRUE(python_match("\\d+\\Z", "١٢٣"));  // Arabic-Indic digits are \d in Python
  EXPECT_TRUE(python_match("a", "a\xff"));      // bytes that are not UTF-8 are no error,
  EXPECT_FALSE(python_match(".", "\xff"));      // but nothing matches them
}

TEST(BasicRulesPythonRegex, QuantifierWithoutLowerBound) {
  EXPECT_TRUE(python_match("x{,2}y", "xxy"));
  EXPECT_FALSE(python_match("x{,2}y\\Z", "xxxy"));
}

TEST(BasicRulesPythonRegex, ABadPatternFailsNamingTheRule) {
  std::string error = config_error("(abc");
  EXPECT_NE(error.find("filtering rule 'r1'"), std::string::npos) << error;
  EXPECT_NE(error.find("field 'value'"), std::string::npos) << error;
  EXPECT_NE(error.find("'(abc'"), std::string::npos) << error;
  EXPECT_NE(error.find("missing closing parenthesis"), std::string::npos) << error;
  EXPECT_NE(error.find("at offset 4"), std::string::npos) << error;

  // Offsets are the user's, not those of the translated pattern.
  error = config_error("\\u00e9{,2}[");
  EXPECT_NE(error.find("at offset 11"), std::string::npos) << error;
  EXPECT_NE(config_error("(?L)a").find("'L' flag"), std::string::npos);
  EXPECT_NE(config_error("\\u12").find("incomplete escape \\u"), std::string::npos);
}

TEST(BasicRulesPythonRegex, ACatastrophicPatternHitsTheLimit) {
  auto rules = regex_rule("slow", "(a+)+$");
  auto started = std::chrono::steady_clock::now();
  try {
    rules.should_ingest({{"id", "doc-7"}, {"value", std::string(40, 'a') + "!"}});
    FAIL() << "the match should have hit PCRE2's limit";
  } catch (const ConfigError& e) {
    std::string error = e.what();
    EXPECT_NE(error.find("filtering rule 'slow'"), std::string::npos) << error;
    EXPECT_NE(error.find("document 'doc-7'"), std::string::npos) << error;
    EXPECT_NE(error.find("limit"), std::string::npos) << error;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_TRUE(rules.should_ingest({{"value", "bbb"}}));  // the rule still works afterwards
}

TEST(BasicRulesPythonRegex, TranslationToPcre2) {
  PcrePattern p = translate_python_regex("(?ai)a\\Z{,3}");
  EXPECT_EQ(p.pattern, "(?i)a\\z{0,3}");
  EXPECT_TRUE(p.ascii);
  ASSERT_EQ(p.origin.size(), p.pattern.size());
  EXPECT_EQ(p.origin[4], 5u);  // a
  EXPECT_EQ(p.origin[7], 8u);  // {0, comes from {,
  EXPECT_THROW(translate_python_regex("(?au)x"), RegexError);
  EXPECT_EQ(translate_python_regex("(?u)[]\\Z(?i)]").pattern, "[]\\Z(?i)]");
}

}  // namespace
}  // namespace connectors::sync
