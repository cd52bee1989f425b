// The Network drive source's advanced rules: the framework's schema and
// messages, where each pattern's walk starts, and globstar matching.
#include "sources/network_drive/smb_rules.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace connectors::sources::smb {
namespace {

using json = nlohmann::json;

std::string message(const char* text) { return validate_rules(json::parse(text)).message; }

TEST(NetworkDriveRules, ValidRulesAndBackslashesReadAsSlashes) {
  EXPECT_TRUE(validate_rules(json::array()).valid);
  EXPECT_TRUE(validate_rules(nullptr).valid);
  auto patterns = parse_rules(json::parse(R"([{"pattern": "Folder1/**/*.txt"},
                                              {"pattern": "Folder1\\sub\\*.pdf"}])"));
  EXPECT_EQ(patterns, (std::vector<std::string>{"Folder1/**/*.txt", "Folder1/sub/*.pdf"}));
  EXPECT_TRUE(parse_rules(nullptr).empty());
}

TEST(NetworkDriveRules, EachSchemaFailureNamesTheRule) {
  EXPECT_EQ(message(R"({"pattern": "a"})"), "data must be array");
  EXPECT_EQ(message(R"([{"pattern": "a"}, "x"])"), "data[1] must be object");
  EXPECT_EQ(message(R"([{"pattern": "a"}, {}])"), "data[1] must contain ['pattern'] properties");
  EXPECT_EQ(message(R"([{"pattern": ""}])"),
            "data[0].pattern must be longer than or equal to 1 characters");
  EXPECT_EQ(message(R"([{"pattern": 3}])"), "data[0].pattern must be string");
  EXPECT_EQ(message(R"([{"pattern": "a", "glob": "b"}])"),
            "data[0] must not contain {'glob'} properties");
}

TEST(NetworkDriveRules, APatternStartingWithASlashIsRefusedAsTheFrameworkSaysIt) {
  EXPECT_EQ(message(R"([{"pattern": "/Folder1/*"}, {"pattern": "ok/*"}])"),
            "SMB Path should not start with '/' in the beginning. Incorrect path: {'/Folder1/*'}");
  EXPECT_EQ(message(R"([{"pattern": "/b"}, {"pattern": "/a"}])"),
            "SMB Path should not start with '/' in the beginning. Incorrect path: {'/a', '/b'}");
  try {
    parse_rules(json::parse(R"([{"pattern": "/x"}])"));
    FAIL() << "a pattern starting with '/' was taken";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "advanced_snippet");
    EXPECT_NE(std::string(e.what()).find("'/x'"), std::string::npos) << e.what();
  }
}

TEST(NetworkDriveRules, TheWalkStartsAtTheFolderBeforeTheFirstWildcard) {
  EXPECT_EQ(base_path("Folder1/sub/*.txt"), "Folder1/sub");
  EXPECT_EQ(base_path("Folder1/**/*.txt"), "Folder1");
  EXPECT_EQ(base_path("Folder1/su?/a.txt"), "Folder1");
  EXPECT_EQ(base_path("Folder1/a[bc]/x"), "Folder1");
  EXPECT_EQ(base_path("Folder1/sub/a.txt"), "Folder1/sub/a.txt");  // no wildcard: itself
  EXPECT_EQ(base_path("*.txt"), "");
}

TEST(NetworkDriveRules, GlobstarCrossesFoldersAStarDoesNot) {
  EXPECT_TRUE(pattern_matches("Folder1/**/*.txt", "Folder1/a.txt"));
  EXPECT_TRUE(pattern_matches("Folder1/**/*.txt", "Folder1/x/y/a.txt"));
  EXPECT_FALSE(pattern_matches("Folder1/**/*.txt", "Folder1/x/y/a.pdf"));
  EXPECT_TRUE(pattern_matches("Folder1/*.txt", "Folder1/a.txt"));
  EXPECT_FALSE(pattern_matches("Folder1/*.txt", "Folder1/x/a.txt"));
  EXPECT_TRUE(pattern_matches("Folder1/file?.txt", "Folder1/file7.txt"));
  EXPECT_TRUE(pattern_matches("Folder1/[ab]*", "Folder1/beta"));
  EXPECT_FALSE(pattern_matches("Folder1/[ab]*", "Folder1/gamma"));
}

}  // namespace
}  // namespace connectors::sources::smb
