#include "extraction/formats/zip_archive.h"

#include <gtest/gtest.h>

#include "corpus.h"

namespace connectors::extraction::formats {
namespace {

using testing::corpus_file;

TEST(ZipArchive, ListsAndReadsEntries) {
  ZipArchive zip(corpus_file("zip", "bomb.zip"));
  EXPECT_EQ(zip.names(), (std::vector<std::string>{"hello.txt", "zeros.bin"}));
  EXPECT_TRUE(zip.contains("hello.txt"));
  EXPECT_FALSE(zip.contains("nope"));
  EXPECT_EQ(zip.read_all("hello.txt"), "hello zip");
  EXPECT_EQ(zip.read_all("zeros.bin").size(), size_t{4} << 20);
}

TEST(ZipArchive, StopsInflatingAtTheLimit) {
  ZipArchive zip(corpus_file("zip", "bomb.zip"));
  try {
    zip.read_all("zeros.bin", 100000);
    FAIL() << "no error past the limit";
  } catch (const ExtractionError& e) {
    EXPECT_STREQ(e.what(), "zip entry zeros.bin inflates beyond 100000 bytes");
  }
}

TEST(ZipArchive, NamesWhatIsWrong) {
  ZipArchive zip(corpus_file("zip", "bomb.zip"));
  try {
    zip.open("word/document.xml");
    FAIL() << "no error for a missing entry";
  } catch (const ExtractionError& e) {
    EXPECT_STREQ(e.what(), "zip entry word/document.xml missing");
  }
  ZipArchive bad(corpus_file("zip", "badcrc.zip"));
  EXPECT_THROW(bad.read_all("hello.txt"), ExtractionError);
  EXPECT_THROW(ZipArchive(corpus_file("text", "english.txt")), ExtractionError);
}

}  // namespace
}  // namespace connectors::extraction::formats
