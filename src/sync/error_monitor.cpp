#include "sync/error_monitor.h"

#include <fmt/format.h>

#include "core/errors.h"

namespace connectors::sync {

const char* status_name(SyncStatus status) {
  switch (status) {
    case SyncStatus::kCompleted: return "completed";
    case SyncStatus::kCompletedWithErrors: return "completed_with_errors";
    case SyncStatus::kFailed: return "error";
    case SyncStatus::kCanceled: return "canceled";
  }
  return "error";
}

void ErrorMonitor::push_window(bool failed) {
  window_.push_back(failed);
  window_errors_ += failed ? 1 : 0;
  while (static_cast<int>(window_.size()) > config_.error_window_size) {
    window_errors_ -= window_.front() ? 1 : 0;
    window_.pop_front();
  }
}

void ErrorMonitor::success(long long count) {
  std::lock_guard lock(mutex_);
  consecutive_ = 0;
  for (long long i = 0; i < count && i < config_.error_window_size; ++i) push_window(false);
}

void ErrorMonitor::error(DocumentError error) {
  std::lock_guard lock(mutex_);
  ++total_errors_;
  ++consecutive_;
  push_window(true);
  std::string last = fmt::format("last: document {}: {}: {}", error.id, error.type, error.reason);
  if (static_cast<int>(kept_.size()) < config_.error_queue_size) kept_.push_back(std::move(error));
  if (!config_.enabled) return;
  if (total_errors_ > config_.max_total_errors) {
    throw Error(fmt::format("too many document errors: {} in total ({})", total_errors_, last));
  }
  if (consecutive_ > config_.max_consecutive_errors) {
    throw Error(fmt::format("too many document errors: {} in a row ({})", consecutive_, last));
  }
  if (static_cast<int>(window_.size()) >= config_.error_window_size &&
      static_cast<double>(window_errors_) / static_cast<double>(window_.size()) >
          config_.max_error_rate) {
    throw Error(fmt::format("too many document errors: {} of the last {} documents ({})",
                            window_errors_, window_.size(), last));
  }
}

std::vector<DocumentError> ErrorMonitor::kept() const {
  std::lock_guard lock(mutex_);
  return kept_;
}

}  // namespace connectors::sync
