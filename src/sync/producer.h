// The producer's side of a full sync (a DocumentSink the source writes to):
// it gives each document an id the index takes, applies the basic sync rules,
// drops unchanged documents — and only then, for the new and changed ones
// with content, has their content fetched (FetchPool) — and serialises the
// rest into the operation queue. Change detection (ExistingIds) runs on the
// producer thread, in the order the source yields; documents with content
// reach the queue in the order their fetches end.
#pragma once

#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "sync/bulk_sender.h"
#include "sync/content_fetch.h"
#include "sync/error_monitor.h"
#include "sync/existing_ids.h"
#include "sync/full_sync.h"

namespace connectors::sync {

// The `_id` a source's id is indexed as: ids longer than 512 bytes become
// their MD5, as in the framework.
std::string indexed_id(std::string id);

class Producer final : public sources::DocumentSink {
 public:
  Producer(const SyncOptions& options, ExistingIds& existing, OperationQueue& queue,
           SyncCounters& counters, ErrorMonitor& monitor, std::stop_token stop);

  void emit(sources::Document doc) override;
  void warn(std::string message) override;

  // Waits for the content fetches still running and queues their documents;
  // call when the source's enumeration ended. Throws a fetch worker's error.
  void finish();

  // Queues an operation; throws Cancelled, or Error when the queue stays full
  // for queue_refresh_timeout. Thread-safe.
  void push(Operation op);

  void take_warnings(SyncResult& result);

 private:
  void send(sources::Document doc, uint64_t version);
  FetchPool& fetch_pool();

  const SyncOptions& options_;
  ExistingIds& existing_;
  OperationQueue& queue_;
  SyncCounters& counters_;
  ErrorMonitor& monitor_;
  std::stop_token stop_;
  size_t max_doc_bytes_;
  std::mutex warnings_mutex_;  // a source and the fetch workers warn from their own threads
  std::vector<std::string> warnings_;
  long long warning_count_ = 0;
  std::optional<FetchPool> fetches_;  // last: its workers call send() until it is destroyed
};

}  // namespace connectors::sync
