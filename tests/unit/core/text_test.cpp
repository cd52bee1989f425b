#include "core/text.h"

#include <gtest/gtest.h>

namespace connectors {
namespace {

TEST(Text, TrimRemovesSpacesTabsAndLineBreaksAtBothEnds) {
  EXPECT_EQ(trim(" \t key = value \r\n"), "key = value");
  EXPECT_EQ(trim("\r\n \t"), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("a"), "a");
}

TEST(Text, FoldSpacesPutsAMultiLineMessageOnOneLine) {
  EXPECT_EQ(fold_spaces("connection to server failed: FATAL:  password\n\tauthentication failed\n"),
            "connection to server failed: FATAL: password authentication failed");
  EXPECT_EQ(fold_spaces("  \r\n "), "");
  EXPECT_EQ(fold_spaces("x\vy"), "x\vy") << "only spaces, tabs and line breaks fold";
}

}  // namespace
}  // namespace connectors
