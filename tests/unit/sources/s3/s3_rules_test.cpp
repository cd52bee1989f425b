// The S3 source's advanced rules: the framework's schema and its messages, and
// the extension filter as os.path.splitext and `in` compare.
#include "sources/s3/s3_rules.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace connectors::sources::s3 {
namespace {

using json = nlohmann::json;

TEST(S3Rules, ValidRules) {
  EXPECT_TRUE(validate_rules(json::array()).valid);
  EXPECT_TRUE(validate_rules(nullptr).valid);
  json rules = json::parse(R"([{"bucket": "b1", "prefix": "docs/", "extension": [".pdf", ".txt"]},
                               {"bucket": "b2"}])");
  EXPECT_TRUE(validate_rules(rules).valid);
  auto parsed = parse_rules(rules);
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0].bucket, "b1");
  EXPECT_EQ(parsed[0].prefix, "docs/");
  EXPECT_EQ(parsed[0].extensions, (std::vector<std::string>{".pdf", ".txt"}));
  EXPECT_EQ(parsed[1].prefix, "");
  EXPECT_TRUE(parsed[1].extensions.empty());
}

TEST(S3Rules, EachFailureNamesTheRule) {
  auto message = [](const char* text) { return validate_rules(json::parse(text)).message; };
  EXPECT_EQ(message(R"({"bucket": "b"})"), "data must be array");
  EXPECT_EQ(message(R"([{"bucket": "b"}, "x"])"), "data[1] must be object");
  EXPECT_EQ(message(R"([{"bucket": "b"}, {"prefix": "p"}])"),
            "data[1] must contain ['bucket'] properties");
  EXPECT_EQ(message(R"([{"bucket": ""}])"),
            "data[0].bucket must be longer than or equal to 1 characters");
  EXPECT_EQ(message(R"([{"bucket": 3}])"), "data[0].bucket must be string");
  EXPECT_EQ(message(R"([{"bucket": "b", "prefix": 1}])"), "data[0].prefix must be string");
  EXPECT_EQ(message(R"([{"bucket": "b", "extension": ".pdf"}])"),
            "data[0].extension must be array");
  EXPECT_EQ(message(R"([{"bucket": "b", "folder": "x"}])"),
            "data[0] must not contain {'folder'} properties");
  EXPECT_FALSE(validate_rules(json::parse(R"([{"bucket": "b", "x": 1}])")).valid);
  try {
    parse_rules(json::parse(R"([{"prefix": "p"}])"));
    FAIL() << "a rule without a bucket was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "advanced_snippet");
    EXPECT_NE(std::string(e.what()).find("data[0] must contain ['bucket'] properties"),
              std::string::npos);
  }
}

TEST(S3Rules, ExtensionsAsPythonSplitext) {
  EXPECT_EQ(python_extension("a/b/report.PDF"), ".PDF");
  EXPECT_EQ(python_extension("a.b/file"), "");
  EXPECT_EQ(python_extension("x/.bashrc"), "");
  EXPECT_EQ(python_extension("x/.a.b"), ".b");
  EXPECT_EQ(python_extension("folder/"), "");
  S3Rule rule{"b", "", {".pdf"}};
  EXPECT_TRUE(extension_selected(rule, "docs/a.pdf"));
  EXPECT_FALSE(extension_selected(rule, "docs/a.PDF"));  // compared as written, like `in`
  EXPECT_FALSE(extension_selected(rule, "docs/"));
  EXPECT_TRUE(extension_selected(S3Rule{"b", "", {}}, "anything"));
}

}  // namespace
}  // namespace connectors::sources::s3
