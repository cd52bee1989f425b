#include "sync/content_fetch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "core/errors.h"

namespace connectors::sync {
namespace {

using nlohmann::json;
using sources::ContentSink;
using sources::Document;

class Warnings final : public sources::DocumentSink {
 public:
  void emit(Document) override {}
  void warn(std::string message) override { messages.push_back(std::move(message)); }
  std::vector<std::string> messages;
};

const ContentOptions kLocal;  // text by the extractor workers (bin/connectors-extractor)

Document text_doc(const std::string& id, std::string text) {
  Document doc;
  doc.id = id;
  doc.content.name = id + ".txt";
  doc.content.extension = ".txt";
  doc.content.size = static_cast<long long>(text.size());
  doc.content.fetch = [text](ContentSink& sink, long long, std::stop_token) { sink.write(text); };
  return doc;
}

TEST(ContentLimit, TheLowerOfTheServiceAndTheSourceLimit) {
  sources::ContentRef ref;
  EXPECT_EQ(content_limit(ref, 100), 100);
  ref.max_size = 40;
  EXPECT_EQ(content_limit(ref, 100), 40);
  ref.max_size = 400;
  EXPECT_EQ(content_limit(ref, 100), 100);
}

TEST(ConcurrentDownloads, TheConnectorsOwnFieldElseTheConfiguredOne) {
  EXPECT_EQ(concurrent_downloads_of(json::object(), 10), 10);
  EXPECT_EQ(concurrent_downloads_of({{"concurrent_downloads", {{"value", 3}}}}, 10), 3);
  EXPECT_EQ(concurrent_downloads_of({{"concurrent_downloads", {{"value", "7"}}}}, 10), 7);
  EXPECT_EQ(concurrent_downloads_of({{"concurrent_downloads", 4}}, 10), 4);  // a flat configuration
  EXPECT_EQ(concurrent_downloads_of({{"concurrent_downloads", {{"value", 0}}}}, 10), 10);
  EXPECT_EQ(concurrent_downloads_of({{"concurrent_downloads", {{"value", "many"}}}}, 10), 10);
  EXPECT_EQ(concurrent_downloads_of({{"concurrent_downloads", {{"value", nullptr}}}}, 10), 10);
}

TEST(FetchContent, PlainTextInAnotherEncodingBecomesAUtf8Body) {
  SyncCounters counters;
  Warnings warnings;
  Document doc = text_doc("a", "ok \xff end");
  fetch_content(doc, 100, kLocal, counters, warnings, {});
  EXPECT_EQ(doc.fields["body"], "ok \xC3\xBF end");  // windows-1252 \xff is U+00FF
  EXPECT_EQ(counters.content_fetches, 1);
  EXPECT_EQ(counters.content_bytes_read, 8);
  EXPECT_TRUE(warnings.messages.empty());
}

TEST(FetchContent, ACancelIsPassedOn) {
  SyncCounters counters;
  Warnings warnings;
  Document doc = text_doc("a", "text");
  doc.content.fetch = [](ContentSink&, long long, std::stop_token) -> void { throw Cancelled(); };
  EXPECT_THROW(fetch_content(doc, 100, kLocal, counters, warnings, {}), Cancelled);
  EXPECT_TRUE(warnings.messages.empty());
}

TEST(FetchPool, HandsEveryDocumentOnWithItsContent) {
  SyncCounters counters;
  Warnings warnings;
  std::mutex mutex;
  std::map<std::string, std::string> done;
  FetchPool pool(2, kLocal, counters, warnings,
                 [&](Document doc, uint64_t) {
                   std::lock_guard lock(mutex);
                   done[doc.id] = doc.fields["body"].get<std::string>();
                 },
                 {});
  for (int i = 0; i < 20; ++i)
    pool.submit(text_doc(std::to_string(i), "t" + std::to_string(i)), 0, 100);
  pool.finish();
  ASSERT_EQ(done.size(), 20u);
  EXPECT_EQ(done["7"], "t7");
}

TEST(FetchPool, DocumentsWaitingForTheQueueHoldNoMoreThanTheMemoryBudget) {
  SyncCounters counters;
  Warnings warnings;
  std::atomic<int> handed{0}, inside{0}, most_inside{0};
  const size_t budget = 3 * (8000 + (4 << 10));  // three of these documents at once
  // `done` is slow, as a full queue: without the budget, all 8 workers would
  // be in it at once, each holding a document's text.
  FetchPool pool(
      8, kLocal, counters, warnings,
      [&](Document, uint64_t) {
        int now = ++inside;
        int most = most_inside;
        while (now > most && !most_inside.compare_exchange_weak(most, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        --inside;
        handed++;
      },
      {}, budget);
  for (int i = 0; i < 40; ++i)
    pool.submit(text_doc(std::to_string(i), std::string(8000, 'x')), 0, 1 << 20);
  pool.finish();
  EXPECT_EQ(handed, 40);
  EXPECT_LE(most_inside, 3);
  EXPECT_GE(most_inside, 2) << "the budget lets several through at once";
  EXPECT_LE(pool.memory_high_water(), budget);
}

TEST(FetchPool, AWorkerErrorFailsTheSubmitOrTheFinish) {
  SyncCounters counters;
  Warnings warnings;
  FetchPool pool(2, kLocal, counters, warnings,
                 [](Document, uint64_t) -> void { throw Error("Elasticsearch is overloaded"); },
                 {});
  auto submit_all = [&] {
    for (int i = 0; i < 50; ++i) pool.submit(text_doc(std::to_string(i), "x"), 0, 100);
    pool.finish();
  };
  try {
    submit_all();
    FAIL() << "expected the worker's error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Elasticsearch is overloaded");
  }
}

TEST(FetchPool, AStopEndsTheWorkersAndFinishSaysCancelled) {
  SyncCounters counters;
  Warnings warnings;
  std::stop_source stop;
  std::atomic<int> handed{0};
  FetchPool pool(
      2, kLocal, counters, warnings, [&](Document, uint64_t) { handed++; }, stop.get_token());
  pool.submit(text_doc("a", "x"), 0, 100);
  stop.request_stop();
  EXPECT_THROW(pool.submit(text_doc("b", "x"), 0, 100), Cancelled);
  EXPECT_THROW(pool.finish(), Cancelled);
  EXPECT_LE(handed, 1);
}

}  // namespace
}  // namespace connectors::sync
