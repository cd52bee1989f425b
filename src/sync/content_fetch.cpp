#include "sync/content_fetch.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "core/errors.h"
#include "sync/content_extract.h"
#include "sync/spooled_content.h"

namespace connectors::sync {
namespace {

constexpr long long kMaxDownloadWorkers = 256;  // as elasticsearch.bulk.concurrent_downloads

}  // namespace

long long content_limit(const sources::ContentRef& ref, long long max_file_download_size) {
  if (ref.max_size >= 0) return std::min(ref.max_size, max_file_download_size);
  return max_file_download_size;
}

bool over_size_limit(const sources::ContentRef& ref, long long max_file_download_size) {
  long long limit = content_limit(ref, max_file_download_size);
  if (ref.size < 0 || ref.size <= limit) return false;
  // The framework's words, then the setting to change.
  std::string setting =
      limit < max_file_download_size ? "the source's own limit" : "service.max_file_download_size";
  spdlog::warn(
      "File size {} of file {} is larger than {} bytes. Discarding file content. (Limit: {}; "
      "the document is indexed with its metadata only.)",
      ref.size, ref.name, limit, setting);
  return true;
}

int concurrent_downloads_of(const nlohmann::json& connector_configuration, int configured) {
  if (!connector_configuration.is_object()) return configured;
  auto field = connector_configuration.find("concurrent_downloads");
  if (field == connector_configuration.end()) return configured;
  const nlohmann::json& value =
      field->is_object() ? field->value("value", nlohmann::json()) : *field;
  long long n = 0;
  if (value.is_number_integer()) {
    n = value.get<long long>();
  } else if (value.is_string()) {
    try {
      n = std::stoll(value.get<std::string>());
    } catch (const std::exception&) {
      n = 0;
    }
  }
  return n > 0 && n <= kMaxDownloadWorkers ? static_cast<int>(n) : configured;
}

namespace {

constexpr size_t kLocalSpoolMemoryBytes = 64 << 10;
constexpr size_t kMinimumHold = 4 << 10;  // a document's own fields, roughly

// Takes what a content of `bytes` will cost in memory once its text is made
// (the text of a file is rarely larger than the file) from `budget`; throws
// Cancelled on a stop.
ByteBudget::Hold hold_for(ByteBudget* budget, long long bytes, std::stop_token stop) {
  if (budget == nullptr) return {};
  auto hold = budget->hold(kMinimumHold + static_cast<size_t>(std::max(0LL, bytes)), stop);
  if (stop.stop_requested()) throw Cancelled();
  return hold;
}

void warn_not_read(sources::DocumentSink& warnings, const sources::Document& doc,
                   const std::string& why) {
  warnings.warn(fmt::format("{}: content not read, indexed with its metadata only: {}",
                            doc.content.name, why));
}

void report_no_text(SyncCounters& counters, sources::DocumentSink& warnings,
                    const sources::Document& doc, const std::string& reason) {
  counters.extraction_failures++;
  warnings.warn(fmt::format("{} (id {}){}{}", doc.content.name, doc.id, kNoTextWarning, reason));
}

void warn_grew(const sources::Document& doc, long long max_bytes) {
  spdlog::warn("{} grew over {} bytes while it was read; indexed without its content",
               doc.content.name, max_bytes);
}

// Local extraction of a file of this machine: the workers read it where it is
// (no copy), within the same size limit as a fetch.
ByteBudget::Hold extract_local_file(sources::Document& doc, long long max_bytes,
                                    const ContentOptions& options, SyncCounters& counters,
                                    sources::DocumentSink& warnings, std::stop_token stop,
                                    ByteBudget* budget) {
  counters.content_fetches++;
  std::error_code error;
  const auto size = std::filesystem::file_size(doc.content.local_file, error);
  if (error) {
    warn_not_read(warnings, doc, error.message());
    return {};
  }
  if (static_cast<long long>(size) > max_bytes) {
    warn_grew(doc, max_bytes);
    return {};
  }
  counters.content_bytes_read += static_cast<long long>(size);
  auto hold = hold_for(budget, static_cast<long long>(size), stop);
  try {
    if (std::string reason = local_text(doc, doc.content.local_file, options, stop);
        !reason.empty()) {
      report_no_text(counters, warnings, doc, reason);
    }
  } catch (const Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    warn_not_read(warnings, doc, e.what());
  }
  return hold;
}

}  // namespace

ByteBudget::Hold fetch_content(sources::Document& doc, long long max_bytes,
                               const ContentOptions& options, SyncCounters& counters,
                               sources::DocumentSink& warnings, std::stop_token stop,
                               ByteBudget* budget) {
  if (options.mode == ContentMode::kLocal && !doc.content.local_file.empty()) {
    return extract_local_file(doc, max_bytes, options, counters, warnings, stop, budget);
  }
  // Local extraction reads a file: keep little in memory (a download per
  // worker, up to 256 workers), spill the rest as it comes.
  SpooledContent content(max_bytes, options.mode == ContentMode::kLocal
                                        ? kLocalSpoolMemoryBytes
                                        : SpooledContent::kMemoryBytes);
  counters.content_fetches++;
  ByteBudget::Hold hold;
  try {
    doc.content.fetch(content, max_bytes, stop);
    if (stop.stop_requested()) throw Cancelled();
    if (content.over_limit()) {
      warn_grew(doc, max_bytes);
    } else {
      hold = hold_for(budget, content.size(), stop);
      if (std::string reason = add_content(doc, content, options, stop); !reason.empty()) {
        report_no_text(counters, warnings, doc, reason);
      }
    }
  } catch (const Cancelled&) {
    counters.content_bytes_read += content.bytes_read();
    throw;
  } catch (const std::exception& e) {
    warn_not_read(warnings, doc, e.what());
  }
  counters.content_bytes_read += content.bytes_read();
  return hold;
}

FetchPool::FetchPool(int workers, const ContentOptions& content, SyncCounters& counters,
                     sources::DocumentSink& warnings, Done done, std::stop_token stop,
                     size_t memory_bytes)
    : workers_(std::max(1, workers)),
      content_(content),
      counters_(counters),
      warnings_(warnings),
      done_(std::move(done)),
      forward_(stop, [this] { stop_.request_stop(); }),
      tasks_(static_cast<size_t>(workers_), std::numeric_limits<size_t>::max()) {
  if (memory_bytes > 0) budget_.emplace(memory_bytes);
}

FetchPool::~FetchPool() { stop_workers(); }

void FetchPool::stop_workers() {
  stop_.request_stop();
  tasks_.close();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void FetchPool::submit(sources::Document doc, uint64_t version, long long max_bytes) {
  rethrow_if_failed();
  if (stop_.stop_requested()) throw Cancelled();
  if (threads_.empty()) {
    for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { work(); });
  }
  Task task{std::move(doc), version, max_bytes};
  if (!tasks_.push(task, 1, stop_.get_token())) {
    rethrow_if_failed();
    throw Cancelled();
  }
}

void FetchPool::rethrow_if_failed() {
  std::lock_guard lock(mutex_);
  if (error_) std::rethrow_exception(error_);
}

void FetchPool::finish() {
  tasks_.close();  // the workers drain what is queued, then end
  for (auto& t : threads_) t.join();
  threads_.clear();
  rethrow_if_failed();
  if (stop_.stop_requested()) throw Cancelled();
}

void FetchPool::work() {
  while (auto task = tasks_.pop(stop_.get_token())) {
    if (stop_.stop_requested()) return;  // a stopped queue still hands out what it holds
    try {
      auto hold = fetch_content(task->doc, task->max_bytes, content_, counters_, warnings_,
                                stop_.get_token(), budget_ ? &*budget_ : nullptr);
      done_(std::move(task->doc), task->version);
    } catch (const Cancelled&) {
      return;
    } catch (...) {
      fail(std::current_exception());
      return;
    }
  }
}

void FetchPool::fail(std::exception_ptr error) {
  {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = error;
  }
  stop_.request_stop();
  tasks_.close();
}

}  // namespace connectors::sync
