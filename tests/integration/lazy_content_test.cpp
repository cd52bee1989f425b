// Lazy content against the real engine, with the directory source: the first
// sync reads every file, a resync without change reads none, a resync after
// three files changed reads those three only, and a file over the download
// limit is indexed with its metadata and no body.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/hash.h"
#include "core/logging.h"
#include "sync_support.h"

namespace connectors::sync {
namespace {

namespace fs = std::filesystem;
using es::json;

class LazyContentTest : public connectors::testing::SyncFixture {
 protected:
  json config() const { return {{"directory", dir_.string()}}; }
  fs::path file(int i) const {
    return dir_ / (i % 3 == 0 ? "sub" : "") / ("file-" + std::to_string(i) + ".txt");
  }
  long long bytes_under_dir() const {
    long long total = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
      if (entry.is_regular_file()) total += static_cast<long long>(entry.file_size());
    }
    return total;
  }
  json indexed(const fs::path& path) {
    auto doc =
        client_->get_document(index_, md5_hex(fs::absolute(path).lexically_normal().string()));
    return doc ? doc->source : json();
  }
};

TEST_F(LazyContentTest, OnlyNewAndChangedFilesAreRead) {
  make_files(30);
  auto first = sync("dir", config(), options());
  ASSERT_EQ(first.status, SyncStatus::kCompleted) << first.error;
  EXPECT_EQ(first.indexed_document_count, 30);
  EXPECT_EQ(first.content_fetches, 30);
  EXPECT_EQ(first.content_bytes_read, bytes_under_dir());
  EXPECT_EQ(indexed(file(4))["body"], "content of file 4");  // whitespace reduced

  auto again = sync("dir", config(), options());
  ASSERT_EQ(again.status, SyncStatus::kCompleted) << again.error;
  EXPECT_EQ(again.docs_unchanged, 30);
  EXPECT_EQ(again.content_fetches, 0);
  EXPECT_EQ(again.content_bytes_read, 0);

  long long changed_bytes = 0;
  for (int i : {2, 9, 17}) {
    std::ofstream(file(i)) << "file " << i << " was rewritten, and is longer now\n";
    fs::last_write_time(file(i), fs::last_write_time(file(i)) + std::chrono::seconds(5));
    changed_bytes += static_cast<long long>(fs::file_size(file(i)));
  }
  auto changed = sync("dir", config(), options());
  ASSERT_EQ(changed.status, SyncStatus::kCompleted) << changed.error;
  EXPECT_EQ(changed.indexed_document_count, 3);
  EXPECT_EQ(changed.docs_unchanged, 27);
  EXPECT_EQ(changed.content_fetches, 3);
  EXPECT_EQ(changed.content_bytes_read, changed_bytes);
  EXPECT_EQ(indexed(file(9))["body"], "file 9 was rewritten, and is longer now");
  EXPECT_EQ(count(), 30);
}

TEST_F(LazyContentTest, AFileOverTheLimitIsIndexedWithoutItsBody) {
  make_files(3);
  std::ofstream(dir_ / "big.txt") << std::string(5000, 'b');
  std::ostringstream log;
  logging::setup(logging::Format::kText, spdlog::level::info,
                 std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  auto o = options();
  o.max_file_download_size = 4096;
  auto result = sync("dir", config(), o);
  spdlog::default_logger()->flush();
  logging::setup(logging::Format::kText, spdlog::level::info);
  ASSERT_EQ(result.status, SyncStatus::kCompleted) << result.error;
  EXPECT_EQ(result.indexed_document_count, 4);
  EXPECT_EQ(result.content_fetches, 3);
  json big = indexed(dir_ / "big.txt");
  EXPECT_EQ(big["title"], "big.txt");
  EXPECT_EQ(big["size"], 5000);
  EXPECT_FALSE(big.contains("body"));
  EXPECT_EQ(indexed(file(1))["body"], "content of file 1");
  std::string line = "File size 5000 of file " +
                     fs::absolute(dir_ / "big.txt").lexically_normal().string() +
                     " is larger than 4096 bytes. Discarding file content.";
  EXPECT_NE(log.str().find(line), std::string::npos) << log.str();
}

}  // namespace
}  // namespace connectors::sync
