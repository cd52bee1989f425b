// Reading the content of the documents a sync sends (sources::ContentRef): the
// size gate, one fetch into a SpooledContent, and the bounded pool of
// concurrent_downloads workers the producer hands documents to. Only new and
// changed documents get here: the producer decides that before any fetch.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "core/bounded_queue.h"
#include "core/byte_budget.h"
#include "sources/source.h"
#include "sync/content_extract.h"
#include "sync/sync_result.h"

namespace connectors::sync {

// The limit `ref` is read within: max_file_download_size, or the source's own
// limit (its configuration) where that is lower.
long long content_limit(const sources::ContentRef& ref, long long max_file_download_size);

// True, with a log line naming the content, its size and the limit, when its
// listed size is over content_limit: it is not fetched, and the document is
// indexed with its metadata only.
bool over_size_limit(const sources::ContentRef& ref, long long max_file_download_size);

// The fetch workers of a connector: its own `concurrent_downloads` field (the
// framework's S3, GCS and Azure Blob sources have one) when it holds a
// positive number, else `configured` (elasticsearch.bulk.concurrent_downloads).
int concurrent_downloads_of(const nlohmann::json& connector_configuration, int configured);

// What the warning of a document without text says between its name and the reason.
inline constexpr std::string_view kNoTextWarning =
    ": no text extracted, indexed with its metadata only: ";

// Fetches doc.content within `max_bytes` and adds it to `doc` (add_content,
// in the mode of `content`). With a `budget`, the content's size is taken from
// it once read, before its text is made, and held by the returned Hold: the
// text the document carries counts until the caller lets it go. A content that cannot be read, or
// whose text cannot be had, gives a warning naming it (and counts in extraction_failures); one that
// grows over the limit while read, a log line: either way the document keeps its metadata and goes
// on. Throws Cancelled only (on `stop`).
ByteBudget::Hold fetch_content(sources::Document& doc, long long max_bytes,
                               const ContentOptions& content, SyncCounters& counters,
                               sources::DocumentSink& warnings, std::stop_token stop,
                               ByteBudget* budget = nullptr);

// Up to `workers` threads (started with the first document) fetch content and
// hand each document on to `done`, in the order fetches end. submit() blocks
// while every worker is busy and as many documents wait: back-pressure to the
// source, and at most `workers` contents held at once. Downloads spill to disk
// (local extraction); from the end of its download until `done` returns (its
// line queued), a document holds its size from a budget of `memory_bytes`, so
// workers wait for each other instead of holding workers x 10 MiB of text
// while the extractors or the queue are busy (0 = no budget).
class FetchPool {
 public:
  using Done = std::function<void(sources::Document doc, uint64_t version)>;

  FetchPool(int workers, const ContentOptions& content, SyncCounters& counters,
            sources::DocumentSink& warnings, Done done, std::stop_token stop,
            size_t memory_bytes = 0);
  ~FetchPool();  // stops the workers and waits for them
  FetchPool(const FetchPool&) = delete;
  FetchPool& operator=(const FetchPool&) = delete;

  // Queues `doc` to be fetched within `max_bytes`. Throws the first error of a
  // worker (an overloaded queue, too many document errors), or Cancelled.
  void submit(sources::Document doc, uint64_t version, long long max_bytes);
  // Throws the first error of a worker, if any.
  void rethrow_if_failed();
  // Waits until every document submitted was handed on; throws as submit.
  void finish();
  // The most bytes of the budget held at once (0 without a budget).
  size_t memory_high_water() const { return budget_ ? budget_->high_water() : 0; }

 private:
  struct Task {
    sources::Document doc;
    uint64_t version = 0;
    long long max_bytes = 0;
  };
  void work();
  void fail(std::exception_ptr error);
  void stop_workers();

  const int workers_;
  const ContentOptions& content_;
  SyncCounters& counters_;
  sources::DocumentSink& warnings_;
  Done done_;
  std::stop_source stop_;  // the job's stop, or a worker's failure
  std::stop_callback<std::function<void()>> forward_;
  BoundedQueue<Task> tasks_;
  std::optional<ByteBudget> budget_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::exception_ptr error_;  // guarded by mutex_
};

}  // namespace connectors::sync
