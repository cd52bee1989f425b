#include "sync/bulk_sender.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "es/retry.h"

namespace connectors::sync {
namespace {

constexpr size_t kMinBatch = 8;

bool is_transient(const es::EsError& e) {
  return e.is_connection_error() || es::is_retryable_status(e.status());
}

es::ClientOptions without_retries(es::ClientOptions options) {
  options.max_retries = 0;  // the sender retries itself, shrinking batches as it goes
  return options;
}

}  // namespace

BulkSender::BulkSender(es::ClientOptions client_options, SenderSettings settings,
                       SyncCounters& counters, ErrorMonitor& monitor, WriteTally* tally)
    : client_(without_retries(std::move(client_options))),
      settings_(std::move(settings)),
      counters_(counters),
      monitor_(monitor),
      tally_(tally),
      target_ops_(settings_.max_ops) {}

void BulkSender::shrink() {
  size_t current = target_ops_.load();
  size_t next = std::max(kMinBatch, current / 2);
  target_ops_.compare_exchange_strong(current, next);
}

void BulkSender::grow() {
  size_t current = target_ops_.load();
  if (current >= settings_.max_ops) return;
  size_t next = std::min(settings_.max_ops, current + std::max<size_t>(1, current / 4));
  target_ops_.compare_exchange_strong(current, next);
}

void BulkSender::run(OperationQueue& queue, std::stop_token stop) {
  std::vector<Operation> batch;
  size_t bytes = 0;
  for (;;) {
    bool idle = false;
    auto op = queue.pop_for(settings_.idle_flush, stop, &idle);
    if (op) {
      bytes += op->bytes();
      batch.push_back(std::move(*op));
      if (batch.size() < target_ops_.load() && bytes < settings_.max_bytes) continue;
    } else if (idle) {
      if (batch.empty()) continue;  // a slow source: flush what we hold, then wait on
    } else if (stop.stop_requested()) {
      throw Cancelled();
    }
    if (!batch.empty()) send(batch, stop);
    batch.clear();
    bytes = 0;
    if (!op && !idle) return;  // closed and drained
  }
}

void BulkSender::send(std::vector<Operation>& batch, std::stop_token stop) {
  es::RetryPolicy backoff(0, settings_.retry_base, settings_.retry_base * 10);
  auto last_progress = std::chrono::steady_clock::now();
  int failures = 0;
  std::vector<Operation> pending = std::move(batch);
  std::optional<std::string> pipeline;
  if (!settings_.pipeline.empty()) pipeline = settings_.pipeline;
  while (!pending.empty()) {
    if (stop.stop_requested()) throw Cancelled();
    size_t take = std::min(pending.size(), target_ops_.load());
    es::BulkBuilder builder;
    for (size_t i = 0; i < take; ++i) {
      builder.add(pending[i].op, settings_.index, pending[i].id, pending[i].source);
    }
    std::vector<Operation> retry;
    try {
      counters_.bulk_requests++;
      auto response = client_.bulk(builder.take(), pipeline, es::Refresh::kNo, stop);
      std::vector<Operation> chunk(std::make_move_iterator(pending.begin()),
                                   std::make_move_iterator(pending.begin() + static_cast<long>(take)));
      pending.erase(pending.begin(), pending.begin() + static_cast<long>(take));
      handle_items(response, chunk, retry);
      grow();
      last_progress = std::chrono::steady_clock::now();
      if (retry.empty()) {
        failures = 0;
        continue;
      }
    } catch (const es::EsError& e) {
      if (!is_transient(e)) throw;
      shrink();
      if (std::chrono::steady_clock::now() - last_progress > settings_.stall_timeout) {
        throw Error(fmt::format(
            "Elasticsearch is overloaded: no _bulk request succeeded for {} s (last: {})",
            settings_.stall_timeout.count() / 1000, e.what()));
      }
      spdlog::debug("_bulk of {} operations failed ({}); batch size now {}", take, e.what(),
                    target_ops_.load());
    }
    // Either the whole request or some items were pushed back: wait, then go on.
    counters_.bulk_retries++;
    for (auto& op : retry) pending.push_back(std::move(op));
    if (!es::sleep_for(backoff.delay(++failures, std::nullopt), stop)) throw Cancelled();
  }
}

void BulkSender::handle_items(const es::BulkResponse& response, std::vector<Operation>& chunk,
                              std::vector<Operation>& retry) {
  long long ok = 0;
  long long operations = 0;  // those that took a sequence number
  std::vector<IdEntry> written;
  for (size_t i = 0; i < chunk.size(); ++i) {
    Operation& op = chunk[i];
    if (i >= response.items.size()) {
      monitor_.error({op.id, "missing_bulk_item", "the _bulk answer has no item for it"});
      counters_.failed_document_count++;
      continue;
    }
    const es::BulkItem& item = response.items[i];
    if (item.result == "created" || item.result == "updated" || item.result == "deleted" ||
        item.result == "not_found") {
      ++operations;
    }
    if (op.op == es::BulkOp::kDelete && (item.ok() || item.status == 404)) {
      counters_.deleted_document_count++;  // gone either way
      ++ok;
      continue;
    }
    if (item.ok()) {
      counters_.indexed_document_count++;
      counters_.indexed_document_volume += static_cast<long long>(op.source.size());
      if (tally_ != nullptr && (item.result == "created" || item.result == "updated")) {
        written.push_back({ExistingIds::id_hash(op.id), op.version});
      }
      ++ok;
      continue;
    }
    if (item.status == 429 || es::is_retryable_status(item.status)) {
      retry.push_back(std::move(op));  // the node was busy with this item: send it again
      continue;
    }
    counters_.failed_document_count++;
    spdlog::error("document {} was not indexed: {}: {}", op.id, item.error_type, item.error_reason);
    monitor_.error({op.id, item.error_type, item.error_reason});
  }
  if (ok > 0) monitor_.success(ok);
  if (tally_ != nullptr) tally_->written(written, operations);
}

}  // namespace connectors::sync
