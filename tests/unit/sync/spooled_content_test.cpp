#include "sync/spooled_content.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace connectors::sync {
namespace {

TEST(SpooledContent, SmallContentStaysInMemory) {
  SpooledContent content(100, 16);
  EXPECT_TRUE(content.write("hello "));
  EXPECT_TRUE(content.write("world"));
  EXPECT_TRUE(content.in_memory());
  EXPECT_EQ(content.buffer(), "hello world");
  EXPECT_EQ(content.read_all(), "hello world");
  EXPECT_EQ(content.size(), 11);
  EXPECT_FALSE(content.over_limit());
}

TEST(SpooledContent, LargerContentGoesToATemporaryFileRemovedWithIt) {
  std::filesystem::path file;
  {
    SpooledContent content(100, 8);
    EXPECT_TRUE(content.write("0123456"));
    EXPECT_TRUE(content.in_memory());
    EXPECT_TRUE(content.write("789abc"));
    EXPECT_FALSE(content.in_memory());
    file = content.file();
    EXPECT_TRUE(std::filesystem::exists(file));
    EXPECT_TRUE(content.buffer().empty());  // no copy kept in memory
    EXPECT_EQ(std::filesystem::file_size(file), 13u);
    EXPECT_EQ(content.read_all(), "0123456789abc");
  }
  EXPECT_FALSE(std::filesystem::exists(file));
}

TEST(SpooledContent, RefusesBytesOverTheLimitAndKeepsNone) {
  SpooledContent content(10, 4);
  EXPECT_TRUE(content.write("0123456789"));  // exactly the limit is fine
  EXPECT_FALSE(content.over_limit());
  EXPECT_FALSE(content.write("x"));
  EXPECT_TRUE(content.over_limit());
  EXPECT_EQ(content.bytes_read(), 11);
  EXPECT_EQ(content.size(), 10);  // what was kept before; never extracted once over
}

TEST(SpooledContent, AnUnwritableFolderIsAnErrorNamingIt) {
  SpooledContent content(100, 2, "/nonexistent-spool-folder");
  EXPECT_TRUE(content.write("ab"));
  try {
    content.write("cd");
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-spool-folder"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace connectors::sync
