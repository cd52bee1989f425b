// ErrorMonitor decides when document errors are too many for a sync to go on,
// with the Python framework's thresholds (elasticsearch.bulk.error_monitor.*),
// and keeps the first errors to report. Thread-safe.
#pragma once

#include <deque>
#include <mutex>
#include <vector>

#include "config/config.h"
#include "sync/sync_result.h"

namespace connectors::sync {

class ErrorMonitor {
 public:
  explicit ErrorMonitor(config::ErrorMonitorConfig config) : config_(config) {}

  void success(long long count = 1);
  // Records the error; throws Error("too many document errors...") past a threshold.
  void error(DocumentError error);

  std::vector<DocumentError> kept() const;

 private:
  void push_window(bool failed);

  config::ErrorMonitorConfig config_;
  mutable std::mutex mutex_;
  long long total_errors_ = 0;       // guarded by mutex_
  long long consecutive_ = 0;        // guarded by mutex_
  std::deque<bool> window_;          // guarded by mutex_
  long long window_errors_ = 0;      // guarded by mutex_
  std::vector<DocumentError> kept_;  // guarded by mutex_
};

}  // namespace connectors::sync
