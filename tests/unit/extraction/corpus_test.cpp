// Every file of the extraction corpus has its origin and licence recorded.
#include "corpus.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace connectors::extraction {
namespace {

// "family/name" of each row of the corpus's README.md and LEGACY.md tables.
std::set<std::string> recorded_files() {
  std::set<std::string> out;
  const auto root = testing::corpus_file("", "");
  for (const char* table : {"README.md", "LEGACY.md"}) {
    std::ifstream in(root / table);
    for (std::string line; std::getline(in, line);) {
      if (!line.starts_with("| ") || line.starts_with("| File") || line.starts_with("|--"))
        continue;
      out.insert(line.substr(2, line.find(" |") - 2));
    }
  }
  return out;
}

TEST(ExtractionCorpus, EveryFileHasItsSourceAndLicence) {
  const auto recorded = recorded_files();
  const auto root = testing::corpus_file("", "");
  size_t files = 0;
  for (const auto& family : std::filesystem::directory_iterator(root)) {
    if (!family.is_directory()) continue;
    for (const auto& file : std::filesystem::directory_iterator(family.path())) {
      const std::string name =
          family.path().filename().string() + "/" + file.path().filename().string();
      EXPECT_TRUE(recorded.count(name)) << name << " is not in README.md or LEGACY.md";
      ++files;
    }
  }
  EXPECT_GT(files, 50u);
}

}  // namespace
}  // namespace connectors::extraction
