// The producer decides new / changed / unchanged before any content is read,
// and reads the rest in a bounded pool, within the size limits.
#include "sync/producer.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <map>
#include <sstream>
#include <thread>

#include "core/errors.h"
#include "core/logging.h"

namespace connectors::sync {
namespace {

using namespace std::chrono_literals;
using sources::ContentSink;
using sources::Document;

constexpr const char* kT1 = "2024-01-01T00:00:00Z";
constexpr const char* kT2 = "2024-06-01T00:00:00Z";

// What the fake contents saw: how many fetches, and how many at once.
struct FetchLog {
  std::atomic<int> calls{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> high_water{0};
};

Document file_doc(const std::string& id, const std::string& timestamp, const std::string& body,
                  FetchLog& log, std::chrono::milliseconds delay = 0ms) {
  Document doc;
  doc.id = id;
  doc.timestamp = timestamp;
  doc.fields = {{"title", id + ".txt"}};
  doc.content.name = "/data/" + id + ".txt";
  doc.content.extension = ".txt";
  doc.content.size = static_cast<long long>(body.size());
  doc.content.fetch = [&log, body, delay](ContentSink& sink, long long, std::stop_token) {
    log.calls++;
    int now = ++log.in_flight;
    int seen = log.high_water.load();
    while (now > seen && !log.high_water.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(delay);
    sink.write(body);
    log.in_flight--;
  };
  return doc;
}

class ProducerContentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.index = "test";
    options_.concurrent_downloads = 4;
    options_.max_file_download_size = 1000;
  }
  void TearDown() override { logging::setup(logging::Format::kText, spdlog::level::info); }

  void indexed(const std::string& id, const std::string& timestamp) {
    existing_.add(id, ExistingIds::version_of_timestamp(timestamp));
  }

  // Runs the documents through a producer; returns the queued documents by id.
  std::map<std::string, nlohmann::json> run(std::vector<Document> docs) {
    existing_.seal();
    {
      Producer producer(options_, existing_, queue_, counters_, monitor_, {});
      for (auto& doc : docs) producer.emit(std::move(doc));
      producer.finish();
      producer.take_warnings(result_);
    }
    queue_.close();
    std::map<std::string, nlohmann::json> out;
    while (auto op = queue_.pop({})) out[op->id] = nlohmann::json::parse(op->source);
    return out;
  }

  void capture_log() {
    logging::setup(logging::Format::kText, spdlog::level::info,
                   std::make_shared<spdlog::sinks::ostream_sink_mt>(log_));
  }

  SyncOptions options_;
  ExistingIds existing_;
  OperationQueue queue_{100000, size_t{1} << 30};
  SyncCounters counters_;
  ErrorMonitor monitor_{config::ErrorMonitorConfig{}};
  SyncResult result_;
  std::ostringstream log_;
};

TEST_F(ProducerContentTest, OnlyNewAndChangedDocumentsAreFetched) {
  indexed("same", kT1);
  indexed("changed", kT1);
  FetchLog log;
  auto out = run({file_doc("same", kT1, "old text", log), file_doc("changed", kT2, "new text", log),
                  file_doc("new", kT1, "fresh", log)});
  EXPECT_EQ(log.calls, 2);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out["changed"]["body"], "new text");
  EXPECT_EQ(out["new"]["body"], "fresh");
  EXPECT_EQ(out["new"]["title"], "new.txt");
  EXPECT_EQ(counters_.docs_unchanged, 1);
  EXPECT_EQ(counters_.content_fetches, 2);
  EXPECT_EQ(counters_.content_bytes_read, 8 + 5);
  // Every document was marked seen, fetched or not: none is deleted.
  EXPECT_EQ(existing_.unseen(), 0u);
}

TEST_F(ProducerContentTest, ANoChangeResyncReadsNoContent) {
  FetchLog log;
  std::vector<Document> docs;
  for (int i = 0; i < 50; ++i) {
    indexed("doc-" + std::to_string(i), kT1);
    docs.push_back(file_doc("doc-" + std::to_string(i), kT1, "text", log));
  }
  EXPECT_TRUE(run(std::move(docs)).empty());
  EXPECT_EQ(log.calls, 0);
  EXPECT_EQ(counters_.content_bytes_read, 0);
  EXPECT_EQ(counters_.docs_unchanged, 50);
}

TEST_F(ProducerContentTest, AtMostConcurrentDownloadsFetchesAtOnce) {
  options_.concurrent_downloads = 3;
  FetchLog log;
  std::vector<Document> docs;
  for (int i = 0; i < 24; ++i)
    docs.push_back(file_doc("doc-" + std::to_string(i), kT1, "x", log, 10ms));
  auto out = run(std::move(docs));
  EXPECT_EQ(out.size(), 24u);
  EXPECT_EQ(log.calls, 24);
  EXPECT_LE(log.high_water, 3);
  EXPECT_GE(log.high_water, 2);  // and they do run side by side
  for (const auto& [id, doc] : out) EXPECT_EQ(doc["body"], "x") << id;
}

TEST_F(ProducerContentTest, ContentOverTheLimitIsNotFetchedAndTheFileIsNamed) {
  capture_log();
  options_.max_file_download_size = 10;
  FetchLog log;
  auto big = file_doc("big", kT1, std::string(11, 'b'), log);
  auto capped = file_doc("capped", kT1, "12345678", log);
  capped.content.max_size = 5;  // the source's own, lower limit
  auto out = run({std::move(big), std::move(capped), file_doc("small", kT1, "0123456789", log)});
  EXPECT_EQ(log.calls, 1);  // only "small", exactly at the limit
  ASSERT_EQ(out.size(), 3u);
  EXPECT_FALSE(out["big"].contains("body"));
  EXPECT_EQ(out["big"]["title"], "big.txt");  // indexed with its metadata
  EXPECT_FALSE(out["capped"].contains("body"));
  EXPECT_EQ(out["small"]["body"], "0123456789");
  spdlog::default_logger()->flush();
  EXPECT_NE(log_.str().find("File size 11 of file /data/big.txt is larger than 10 bytes. "
                            "Discarding file content. (Limit: service.max_file_download_size"),
            std::string::npos)
      << log_.str();
  EXPECT_NE(log_.str().find("File size 8 of file /data/capped.txt is larger than 5 bytes. "
                            "Discarding file content. (Limit: the source's own limit"),
            std::string::npos)
      << log_.str();
}

TEST_F(ProducerContentTest, ContentThatGrowsWhileReadStopsAtTheLimit) {
  capture_log();
  options_.max_file_download_size = 10;
  Document doc;
  doc.id = "growing";
  doc.timestamp = kT1;
  doc.content.name = "/data/growing.txt";
  doc.content.extension = ".txt";
  doc.content.size = 4;  // as listed; it grows while read
  int chunks = 0;
  doc.content.fetch = [&chunks](ContentSink& sink, long long, std::stop_token) {
    while (chunks < 1000 && sink.write("1234")) ++chunks;
  };
  auto out = run({std::move(doc)});
  EXPECT_EQ(chunks, 2);  // the third chunk went over: reading stopped
  EXPECT_EQ(counters_.content_bytes_read, 12);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out["growing"].contains("body"));
  spdlog::default_logger()->flush();
  EXPECT_NE(log_.str().find("/data/growing.txt grew over 10 bytes"), std::string::npos)
      << log_.str();
}

TEST_F(ProducerContentTest, AFailedFetchGivesTheMetadataAndAWarningNamingTheFile) {
  FetchLog log;
  Document doc = file_doc("gone", kT1, "", log);
  doc.content.fetch = [](ContentSink&, long long, std::stop_token) -> void {
    throw SourceError("dir: cannot read /data/gone.txt: No such file or directory");
  };
  auto out = run({std::move(doc), file_doc("fine", kT1, "ok", log)});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_FALSE(out["gone"].contains("body"));
  EXPECT_EQ(out["gone"]["title"], "gone.txt");
  EXPECT_EQ(out["fine"]["body"], "ok");
  EXPECT_EQ(counters_.failed_document_count, 0);
  ASSERT_EQ(result_.warning_count, 1);
  EXPECT_NE(result_.warnings[0].find("/data/gone.txt: content not read"), std::string::npos)
      << result_.warnings[0];
}

TEST_F(ProducerContentTest, TypesWithoutExtractionAreNotFetched) {
  FetchLog log;
  Document doc = file_doc("image", kT1, "\x89PNG", log);
  doc.content.extension = ".png";
  auto out = run({std::move(doc)});
  EXPECT_EQ(log.calls, 0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out["image"].contains("body"));
}

TEST_F(ProducerContentTest, FilteredDocumentsAreNotFetched) {
  using nlohmann::json;
  json exclude = {{"id", "r1"},       {"policy", "exclude"},   {"field", "title"},
                  {"rule", "equals"}, {"value", "secret.txt"}, {"order", 0}};
  options_.rules = BasicRules::from_filtering({{"rules", json::array({exclude})}});
  FetchLog log;
  auto out = run({file_doc("secret", kT1, "hidden", log), file_doc("public", kT1, "shown", log)});
  EXPECT_EQ(log.calls, 1);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(out["public"]["body"], "shown");
}

}  // namespace
}  // namespace connectors::sync
