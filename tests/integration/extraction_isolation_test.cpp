// Extraction isolation against the real engine: a directory with files whose
// parser crashes, hangs or fails among good ones. The sync completes; the bad
// files are indexed with their metadata only and named in the sync's warnings
// (the job's message); every other file is indexed with its text. Then the
// three modes of the framework: `_attachment` carries exactly the bytes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/hash.h"
#include "sync_support.h"

namespace connectors::sync {
namespace {

namespace fs = std::filesystem;
using es::json;

class ExtractionIsolationTest : public connectors::testing::SyncFixture {
 protected:
  json config() const { return {{"directory", dir_.string()}}; }
  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  json indexed(const std::string& name) {
    auto doc = client_->get_document(
        index_, md5_hex(fs::absolute(dir_ / name).lexically_normal().string()));
    return doc ? doc->source : json();
  }
  SyncOptions isolated(std::chrono::milliseconds timeout) {
    SyncOptions o = options();
    extraction::isolation::PoolOptions pool;
    pool.program = TEST_EXTRACTOR;
    pool.workers = 2;
    pool.timeout = timeout;
    o.content.pool = std::make_shared<extraction::isolation::ExtractorPool>(pool);
    o.concurrent_downloads = 4;
    return o;
  }
};

TEST_F(ExtractionIsolationTest, CrashesAndHangsFailTheirFileAloneAndTheSyncCompletes) {
  make_files(20);
  write("crash.docx", "CRASH");
  write("hang.pdf", "HANG");
  write("broken.xlsx", "FAIL:zip entry xl/workbook.xml missing\n");
  write("picture.png", "not a type of the framework: never read");
  auto result = sync("dir", config(), isolated(std::chrono::milliseconds(1500)));
  ASSERT_EQ(result.status, SyncStatus::kCompleted) << result.error;
  EXPECT_EQ(result.indexed_document_count, 24);
  EXPECT_EQ(result.failed_document_count, 0);
  EXPECT_EQ(result.extraction_failures, 3);
  EXPECT_EQ(result.content_fetches, 23);  // not the .png
  EXPECT_EQ(count(), 24);
  for (int i : {0, 7, 19}) {
    std::string name = (i % 3 == 0 ? "sub/" : "") + ("file-" + std::to_string(i) + ".txt");
    EXPECT_EQ(indexed(name)["body"], "content of file " + std::to_string(i)) << name;
  }
  for (const char* bad : {"crash.docx", "hang.pdf", "broken.xlsx", "picture.png"}) {
    json doc = indexed(bad);
    EXPECT_EQ(doc["title"], bad);
    EXPECT_FALSE(doc.contains("body")) << bad;
  }
  ASSERT_EQ(result.warning_count, 3);
  std::string warnings;
  for (const auto& w : result.warnings) warnings += w + "\n";
  auto id_of = [&](const std::string& name) {
    return md5_hex(fs::absolute(dir_ / name).lexically_normal().string());
  };
  EXPECT_NE(warnings.find("crash.docx (id " + id_of("crash.docx") +
                          "): no text extracted, indexed with its metadata only: extractor "
                          "crashed (signal 6)"),
            std::string::npos)
      << warnings;
  EXPECT_NE(warnings.find("hang.pdf (id " + id_of("hang.pdf") +
                          "): no text extracted, indexed with its metadata only: extraction "
                          "timed out after 1.5 s"),
            std::string::npos)
      << warnings;
  EXPECT_NE(warnings.find("broken.xlsx (id " + id_of("broken.xlsx") +
                          "): no text extracted, indexed with its metadata only: zip entry "
                          "xl/workbook.xml missing"),
            std::string::npos)
      << warnings;
}

TEST_F(ExtractionIsolationTest, AttachmentModeSendsExactlyTheBytes) {
  make_files(0);
  std::string bytes;
  for (int i = 0; i < 70000; ++i) bytes.push_back(static_cast<char>((i * 7) % 256));
  write("binary.pdf", bytes);
  write("notes.TXT", "some text\n");
  SyncOptions o = options();
  o.content.mode = ContentMode::kAttachment;
  auto result = sync("dir", config(), o);
  ASSERT_EQ(result.status, SyncStatus::kCompleted) << result.error;
  EXPECT_EQ(result.indexed_document_count, 2);
  json pdf = indexed("binary.pdf");
  EXPECT_FALSE(pdf.contains("body"));
  ASSERT_TRUE(pdf["_attachment"].is_string());
  // What the framework's `base64 -w 0` of the file gives.
  std::string expected;
  {
    fs::path b64 = dir_ / "expected.b64";
    std::string command =
        "base64 -w 0 '" + (dir_ / "binary.pdf").string() + "' > '" + b64.string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0);
    std::ifstream in(b64);
    std::getline(in, expected);
  }
  EXPECT_EQ(pdf["_attachment"], expected);
  EXPECT_EQ(indexed("notes.TXT")["_attachment"], "c29tZSB0ZXh0Cg==");
}

}  // namespace
}  // namespace connectors::sync
