#include "sync/producer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/errors.h"
#include "core/hash.h"
#include "sync/content_extract.h"

namespace connectors::sync {

Producer::Producer(const SyncOptions& options, ExistingIds& existing, OperationQueue& queue,
                   SyncCounters& counters, ErrorMonitor& monitor, std::stop_token stop)
    : options_(options),
      existing_(existing),
      queue_(queue),
      counters_(counters),
      monitor_(monitor),
      stop_(stop),
      max_doc_bytes_(static_cast<size_t>(options.bulk.max_text_document_size_mib) << 20) {}

void Producer::emit(sources::Document doc) {
  counters_.docs_extracted++;
  if (fetches_) fetches_->rethrow_if_failed();
  doc.id = indexed_id(std::move(doc.id));
  if (doc.id.empty()) {
    counters_.failed_document_count++;
    monitor_.error({"", "invalid_document", "the source gave a document without an id"});
    return;
  }
  if (!options_.rules.empty()) {
    doc.fields["id"] = doc.id;  // rules see the document as indexed
    if (!options_.rules.should_ingest(doc.fields)) {
      counters_.docs_filtered++;  // not marked seen: deleted if it was indexed before
      return;
    }
    doc.fields.erase("id");
  }
  uint64_t version = document_version(doc);
  if (existing_.check_and_mark(doc.id, version) == Presence::kUnchanged &&
      options_.skip_unchanged) {
    counters_.docs_unchanged++;
    return;
  }
  // New or changed: now, and only now, its content is worth reading.
  if (doc.content && wants_content(doc.content) &&
      !over_size_limit(doc.content, options_.max_file_download_size)) {
    long long limit = content_limit(doc.content, options_.max_file_download_size);
    fetch_pool().submit(std::move(doc), version, limit);
    return;
  }
  send(std::move(doc), version);
}

void Producer::finish() {
  if (fetches_) fetches_->finish();
}

FetchPool& Producer::fetch_pool() {
  if (!fetches_) {
    fetches_.emplace(
        options_.concurrent_downloads, options_.content, counters_, *this,
        [this](sources::Document doc, uint64_t version) { send(std::move(doc), version); }, stop_,
        // Documents downloaded and not yet queued: an eighth of the queue's own
        // bound (3 MiB by default, a dozen average files) keeps the extractors
        // busy; more only raised the peak memory.
        (static_cast<size_t>(options_.bulk.queue_max_mem_size_mib) << 20) / 8);
  }
  return *fetches_;
}

void Producer::send(sources::Document doc, uint64_t version) {
  std::string line = serialize_document(doc, options_, version);
  Operation op{es::BulkOp::kIndex, std::move(doc.id), std::move(line), version};
  if (max_doc_bytes_ > 0 && op.source.size() > max_doc_bytes_) {
    counters_.failed_document_count++;
    spdlog::warn("document {} is {} bytes, over bulk.max_text_document_size; skipped", op.id,
                 op.source.size());
    monitor_.error(
        {op.id, "document_too_large",
         fmt::format("{} bytes, over the limit of {} bytes", op.source.size(), max_doc_bytes_)});
    return;
  }
  push(std::move(op));
}

void Producer::warn(std::string message) {
  spdlog::warn("{}", message);
  std::lock_guard lock(warnings_mutex_);
  ++warning_count_;
  if (warnings_.size() < SyncResult::kMaxWarnings) warnings_.push_back(std::move(message));
}

void Producer::take_warnings(SyncResult& result) {
  std::lock_guard lock(warnings_mutex_);
  result.warnings = std::move(warnings_);
  result.warning_count = warning_count_;
}

void Producer::push(Operation op) {
  bool timed_out = false;
  size_t bytes = op.bytes();
  auto wait = std::chrono::seconds(options_.bulk.queue_refresh_timeout_s);
  if (!queue_.push(op, bytes, stop_, wait, &timed_out)) {
    if (timed_out) {
      throw Error(fmt::format("Elasticsearch is overloaded: the queue stayed full for {} s",
                              options_.bulk.queue_refresh_timeout_s));
    }
    throw Cancelled();
  }
  counters_.docs_queued++;
}

std::string indexed_id(std::string id) {
  constexpr size_t kIdLimit = 512;  // bytes
  return id.size() > kIdLimit ? md5_hex(id) : id;
}

}  // namespace connectors::sync
