#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/errors.h"
#include "sources/directory/directory_source.h"
#include "sources/registry.h"
#include "sync/content_extract.h"
#include "sync/content_fetch.h"

namespace connectors::sources {
namespace {

namespace fs = std::filesystem;

constexpr long long kDownloadLimit = 10485760;  // service.max_file_download_size

// Keeps the documents; with `fetch`, reads their content as the sync engine does.
class Collect final : public DocumentSink {
 public:
  explicit Collect(bool fetch_content = true) : fetch(fetch_content) {}
  void emit(Document document) override {
    if (fetch && document.content && sync::wants_content(document.content) &&
        !sync::over_size_limit(document.content, kDownloadLimit)) {
      sync::fetch_content(document, sync::content_limit(document.content, kDownloadLimit),
                          content_options, counters, *this, {});
    }
    docs[document.fields["relative_path"].get<std::string>()] = std::move(document);
  }
  void warn(std::string message) override { warnings.push_back(std::move(message)); }
  bool fetch;
  sync::ContentOptions content_options;  // text by the extractor workers, as a sync's default
  sync::SyncCounters counters;
  std::map<std::string, Document> docs;
  std::vector<std::string> warnings;
};

class DirectorySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("dir-source-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    write("a.txt", "hello   world\n");
    write("notes.md", "# Notes");
    write("image.png", "\x89PNG");
    write("sub/b.txt", "nested");
    write("sub/deep/c.csv", "x,y");
    write("skip/d.txt", "skipped");
    write(".hidden.txt", "hidden");
    write("bad-utf8.txt", std::string("ok \xff\xfe end"));
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& relative, const std::string& content) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative, std::ios::binary) << content;
  }
  std::map<std::string, Document> run(json config, bool fetch = true) {
    config["directory"] = root_.string();
    auto source = make_source("dir", config);
    Collect sink(fetch);
    source->documents(sink, {});
    return std::move(sink.docs);
  }

  fs::path root_;
};

TEST_F(DirectorySourceTest, OneDocumentPerFileWithFields) {
  auto docs = run(json::object());
  EXPECT_EQ(docs.size(), 7u);  // "**/*.*": every file with a dot, hidden ones excluded
  ASSERT_TRUE(docs.count("a.txt"));
  const Document& a = docs["a.txt"];
  EXPECT_EQ(a.id.size(), 32u);  // MD5 of the path, as the framework
  EXPECT_EQ(a.fields["title"], "a.txt");
  EXPECT_EQ(a.fields["extension"], ".txt");
  EXPECT_EQ(a.fields["size"], 14);
  EXPECT_EQ(a.fields["body"], "hello world");  // whitespace reduced
  EXPECT_FALSE(a.timestamp.empty());
  EXPECT_EQ(a.timestamp, a.fields["last_modified_time"]);
  EXPECT_TRUE(a.fields.contains("created_at"));
  EXPECT_FALSE(docs["image.png"].fields.contains("body"));
  // Not UTF-8: read in the encoding detected (windows-1252 here), as Tika does.
  EXPECT_EQ(docs["bad-utf8.txt"].fields["body"], "ok \xC3\xBF\xC3\xBE end");
}

TEST_F(DirectorySourceTest, EveryTypeOfTheFrameworkIsReadForExtractionInAnyCase) {
  for (const char* name : {"typed/r.PDF", "typed/w.docx", "typed/v.Vsdm", "typed/s.xlsb",
                           "typed/i.png", "typed/noext"}) {
    write(name, "bytes");
  }
  Collect sink;
  auto source = make_source("dir", {{"directory", root_.string()}, {"pattern", "typed/*"}});
  source->documents(sink, {});
  EXPECT_EQ(sink.docs.size(), 6u);
  EXPECT_EQ(sink.counters.content_fetches, 4);  // not the .png, not the file without extension
  EXPECT_FALSE(sink.docs["typed/i.png"].fields.contains("body"));
}

TEST_F(DirectorySourceTest, IncludeExcludeAndRecursion) {
  auto docs = run({{"pattern", "**/*.txt"}, {"exclude", "skip/**"}});
  std::vector<std::string> names;
  for (const auto& [name, doc] : docs) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"a.txt", "bad-utf8.txt", "sub/b.txt"}));
  auto top = run({{"recursive", false}});
  for (const auto& [name, doc] : top) EXPECT_EQ(name.find('/'), std::string::npos) << name;
  EXPECT_EQ(top.size(), 4u);
}

TEST_F(DirectorySourceTest, MissingDirectoryIsASourceErrorNamingIt) {
  auto source = make_source("dir", {{"directory", (root_ / "nope").string()}});
  Collect sink;
  try {
    source->documents(sink, {});
    FAIL();
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
  }
}

TEST_F(DirectorySourceTest, IdsAreStableAcrossRuns) {
  auto first = run(json::object());
  auto second = run(json::object());
  EXPECT_EQ(first["sub/b.txt"].id, second["sub/b.txt"].id);
  EXPECT_NE(first["sub/b.txt"].id, first["a.txt"].id);
}

TEST_F(DirectorySourceTest, ListingReadsNoContent) {
  auto docs = run(json::object(), /*fetch=*/false);
  ASSERT_TRUE(docs.count("a.txt"));
  for (const auto& [name, doc] : docs) {
    EXPECT_FALSE(doc.fields.contains("body")) << name;
    EXPECT_TRUE(doc.content) << name;  // the engine reads it, if it sends the document
  }
  const ContentRef& a = docs["a.txt"].content;
  EXPECT_EQ(a.name, docs["a.txt"].fields["path"]);
  EXPECT_EQ(a.extension, ".txt");
  EXPECT_EQ(a.size, 14);
  EXPECT_EQ(a.max_size, 10485760);  // the connector's max_file_size
}

TEST_F(DirectorySourceTest, MaxFileSizeIsTheDownloadLimitOfTheConnector) {
  auto docs = run({{"max_file_size", 10}});
  EXPECT_EQ(docs["a.txt"].content.max_size, 10);
  EXPECT_FALSE(docs["a.txt"].fields.contains("body"));  // 14 bytes
  EXPECT_EQ(docs["sub/b.txt"].fields["body"], "nested");
}

TEST_F(DirectorySourceTest, AFileThatVanishedBeforeItsFetchIsAWarningNamingIt) {
  auto docs = run(json::object(), /*fetch=*/false);
  fs::remove(root_ / "a.txt");
  Collect engine;
  engine.emit(std::move(docs["a.txt"]));
  ASSERT_EQ(engine.warnings.size(), 1u);
  EXPECT_NE(engine.warnings[0].find((root_ / "a.txt").string()), std::string::npos)
      << engine.warnings[0];
  EXPECT_FALSE(engine.docs["a.txt"].fields.contains("body"));
  EXPECT_EQ(engine.docs["a.txt"].fields["title"], "a.txt");
}

TEST_F(DirectorySourceTest, TheFetchStopsOneChunkPastTheLimit) {
  write("big.txt", std::string(300 << 10, 'x'));
  auto docs = run(json::object(), /*fetch=*/false);
  sync::SpooledContent content(1000);
  docs["big.txt"].content.fetch(content, 1000, {});
  EXPECT_TRUE(content.over_limit());
  EXPECT_LE(content.bytes_read(), 64 << 10);  // one 64 KiB chunk, not the whole file
}

}  // namespace
}  // namespace connectors::sources
