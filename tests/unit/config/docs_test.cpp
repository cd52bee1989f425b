#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/keys.h"

namespace connectors::config {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// docs/CONFIG.md and the commented config.yml must mention every key of the table.
TEST(ConfigDocs, EveryKeyIsDocumented) {
  std::string docs = read_file(std::string(REPO_ROOT) + "/docs/CONFIG.md");
  std::string sample = read_file(std::string(REPO_ROOT) + "/config.yml");
  ASSERT_FALSE(docs.empty());
  for (const auto& spec : all_keys()) {
    EXPECT_NE(docs.find("`" + std::string(spec.key) + "`"), std::string::npos)
        << spec.key << " is not in docs/CONFIG.md";
    std::string leaf(spec.key.substr(spec.key.rfind('.') + 1));
    EXPECT_NE(sample.find(leaf + ":"), std::string::npos) << spec.key << " is not in config.yml";
  }
}

}  // namespace
}  // namespace connectors::config
