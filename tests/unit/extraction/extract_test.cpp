#include "extraction/extract.h"

#include <gtest/gtest.h>

#include <fstream>

namespace connectors::extraction {
namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& bytes) {
  auto path = std::filesystem::temp_directory_path() / ("extract_test_" + name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(ExtractTest, SupportsExactlyTheFrameworksThirtyOneTypes) {
  EXPECT_EQ(supported_extensions().size(), 31u);
  EXPECT_TRUE(is_supported_extension(".PDF"));
  EXPECT_TRUE(is_supported_extension(".vsdm"));
  EXPECT_FALSE(is_supported_extension(".log"));
  EXPECT_FALSE(is_supported_extension(""));
  EXPECT_EQ(format_of(".DocX"), "ooxml");
  EXPECT_EQ(format_of(".exe"), "");
}

TEST(ExtractTest, TextFilesComeOutWhitespaceReduced) {
  auto path = write_temp("a.txt", "  hello\n\n\tworld  caf\xC3\xA9 ");
  EXPECT_EQ(extract_file(path, ".TXT"), "hello world caf\xC3\xA9");
  std::filesystem::remove(path);
}

TEST(ExtractTest, UnsupportedTypeIsAnArgumentError) {
  auto path = write_temp("a.exe", "MZ");
  EXPECT_THROW(extract_file(path, ".exe"), std::invalid_argument);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace connectors::extraction
