// The progress line of bulk.display_every, as the framework's "Sync progress"
// log: one each time that many more documents came from the source, at most
// once a second (the framework logs every N, and we go faster than it).
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>

#include "sync/sync_result.h"

namespace connectors::sync {

class ProgressLog {
 public:
  explicit ProgressLog(int every) : every_(every) {}

  // Logs a line if it is due; true when it did.
  bool maybe_log(const SyncCounters& c, std::chrono::steady_clock::time_point now) {
    long long extracted = c.docs_extracted;
    if (every_ <= 0 || extracted - logged_at_ < every_) return false;
    if (logged_once_ && now - last_line_ < std::chrono::seconds(1)) return false;
    spdlog::info(
        "Sync progress -- extracted: {} | unchanged: {} | filtered: {} | indexed: {} | deleted: {} "
        "| failed: {}",
        extracted, c.docs_unchanged.load(), c.docs_filtered.load(), c.indexed_document_count.load(),
        c.deleted_document_count.load(), c.failed_document_count.load());
    logged_at_ = extracted;
    last_line_ = now;
    logged_once_ = true;
    return true;
  }

 private:
  long long every_;
  long long logged_at_ = 0;
  bool logged_once_ = false;
  std::chrono::steady_clock::time_point last_line_{};
};

}  // namespace connectors::sync
