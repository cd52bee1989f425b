#include "sync/bulk_sender.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "es/retry.h"

namespace connectors::sync {
namespace {

constexpr size_t kMinBatch = 8;
constexpr int kTooLarge = 413;

bool is_transient(const es::EsError& e) {
  return e.is_connection_error() || es::is_retryable_status(e.status());
}

// No answer from the engine itself (none at all, a gateway's in its place, or
// one we could not read): it may have applied the request.
bool is_unanswered(const es::EsError& e) {
  return e.is_connection_error() || e.status() == 502 || e.status() == 504 ||
         e.type() == "bad_bulk_response";
}

BulkPoster client_poster(es::ClientOptions options, const std::string& pipeline) {
  options.max_retries = 0;  // the sender retries itself, shrinking batches as it goes
  auto client = std::make_shared<es::Client>(std::move(options));
  std::optional<std::string> param;
  if (!pipeline.empty()) param = pipeline;
  return [client, param](const std::string& ndjson) {
    return client->bulk(ndjson, param, es::Refresh::kNo);
  };
}

// The outcomes of one _bulk answer, in item order, for the ErrorMonitor: fed
// after the whole answer is counted (a monitor that trips must not leave
// acknowledged items uncounted), and in order, as the framework does, so that
// errors scattered among successes are not "consecutive".
class MonitorFeed {
 public:
  void success() { ++successes_; }
  void error(DocumentError e) { events_.push_back({std::exchange(successes_, 0), std::move(e)}); }
  void replay(ErrorMonitor& monitor) {
    for (auto& [successes_before, e] : events_) {
      if (successes_before > 0) monitor.success(successes_before);
      monitor.error(std::move(e));
    }
    if (successes_ > 0) monitor.success(successes_);
  }

 private:
  std::vector<std::pair<long long, DocumentError>> events_;
  long long successes_ = 0;  // since the last error
};

}  // namespace

// The operations of one batch not yet answered, front first, with what a 413
// and an unanswered request left to do about them.
class BulkSender::Pending {
 public:
  explicit Pending(std::vector<Operation> ops) : ops_(std::move(ops)) {}

  bool empty() const { return ops_.empty(); }
  size_t unanswered() const { return unanswered_; }
  const Operation& operator[](size_t i) const { return ops_[i]; }

  // How many operations the next request takes: at most `max_ops`, and no more
  // than the piece a 413 left on top.
  size_t next_request(size_t max_ops) const {
    size_t n = std::min(ops_.size(), max_ops);
    return split_.empty() ? n : std::min(n, split_.back());
  }

  // The first `n` operations were answered (or reported): they leave.
  std::vector<Operation> take_front(size_t n) {
    std::vector<Operation> front(std::make_move_iterator(ops_.begin()),
                                 std::make_move_iterator(ops_.begin() + static_cast<long>(n)));
    ops_.erase(ops_.begin(), ops_.begin() + static_cast<long>(n));
    unanswered_ -= std::min(unanswered_, n);
    leave_pieces(n);
    return front;
  }

  // The first `n` operations (n > 1) were refused as too large: send the first
  // half, then the second, each split again if refused, before the rest.
  void split(size_t n) {
    leave_pieces(n);
    split_.push_back(n - n / 2);
    split_.push_back(n / 2);
  }

  // The first `n` operations were sent without an answer: the engine may hold them.
  void sent_unanswered(size_t n) { unanswered_ = std::max(unanswered_, n); }

  // Items to send again go last, outside any split piece.
  void push_back(Operation op) { ops_.push_back(std::move(op)); }

  // The request built from the first `n` operations holds their sources (at
  // `spans` of it): their own copies are freed while it is posted, so that a
  // sender holds one copy of its batch, not two.
  void lend_sources(size_t n) {
    for (size_t i = 0; i < n; ++i) std::string().swap(ops_[i].source);
  }
  // ...and taken back from it before anything else reads them.
  void restore_sources(const std::string& body, const std::vector<Span>& spans) {
    for (size_t i = 0; i < spans.size(); ++i) {
      ops_[i].source.assign(body, spans[i].offset, spans[i].size);
    }
  }

 private:
  // The first `n` operations are no longer part of the pieces a 413 left.
  void leave_pieces(size_t n) {
    while (n > 0 && !split_.empty()) {
      size_t done = std::min(n, split_.back());
      split_.back() -= done;
      n -= done;
      if (split_.back() == 0) split_.pop_back();
    }
  }

  std::vector<Operation> ops_;
  std::vector<size_t> split_;  // sizes of the pieces a 413 left, the next one last
  size_t unanswered_ = 0;      // a prefix of ops_
};

BulkSender::BulkSender(es::ClientOptions client_options, SenderSettings settings,
                       SyncCounters& counters, ErrorMonitor& monitor, WriteTally* tally)
    : BulkSender(client_poster(std::move(client_options), settings.pipeline), settings, counters,
                 monitor, tally) {}  // a copy: the poster reads the pipeline first

BulkSender::BulkSender(BulkPoster post, SenderSettings settings, SyncCounters& counters,
                       ErrorMonitor& monitor, WriteTally* tally)
    : post_(std::move(post)),
      settings_(std::move(settings)),
      counters_(counters),
      monitor_(monitor),
      tally_(tally),
      target_ops_(settings_.max_ops),
      target_bytes_(settings_.max_bytes) {}

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

// The engine's limit is below `refused_bytes`: later batches aim at half of it.
// Only requests above the limit are refused, so this never falls below half the
// limit, and a single oversized document (never counted here) cannot drag it down.
void BulkSender::lower_bytes_target(size_t refused_bytes) {
  size_t next = std::max<size_t>(1, refused_bytes / 2);
  size_t current = target_bytes_.load();
  while (next < current && !target_bytes_.compare_exchange_weak(current, next)) {
  }
}

void BulkSender::run(OperationQueue& queue, std::stop_token stop) {
  std::vector<Operation> batch;
  size_t bytes = 0;
  // The batch's bytes stay counted in the queue's bound until it is answered:
  // queue_max_mem_size bounds every document the sync holds, not only those waiting.
  struct Held {
    OperationQueue& queue;
    size_t bytes = 0;
    ~Held() { queue.release(bytes); }
  } held{queue};
  for (;;) {
    bool idle = false;
    size_t charged = 0;
    auto op = queue.pop_for_held(settings_.idle_flush, stop, &idle, &charged);
    held.bytes += charged;
    if (op) {
      bytes += op->bytes();
      batch.push_back(std::move(*op));
      if (batch.size() < target_ops_.load() && bytes < target_bytes_.load()) continue;
    } else if (idle) {
      if (batch.empty()) continue;  // a slow source: flush what we hold, then wait on
    } else if (stop.stop_requested()) {
      throw Cancelled();  // what we hold was never sent: the engine does not have it
    }
    if (!batch.empty()) send(batch, stop);
    batch.clear();
    bytes = 0;
    queue.release(held.bytes);
    held.bytes = 0;
    if (!op && !idle) return;  // closed and drained
  }
}

void BulkSender::send(std::vector<Operation>& batch, std::stop_token stop) {
  Pending pending(std::move(batch));
  try {
    send_pending(pending, stop);
  } catch (...) {
    // Operations sent without an answer and never re-sent: the engine may hold
    // them. Say so rather than under-count silently.
    counters_.unconfirmed_operations += static_cast<long long>(pending.unanswered());
    throw;
  }
}

void BulkSender::send_pending(Pending& pending, std::stop_token stop) {
  es::RetryPolicy backoff(0, settings_.retry_base, settings_.retry_base * 10);
  auto last_progress = std::chrono::steady_clock::now();
  int failures = 0;
  while (!pending.empty()) {
    // A stop sends nothing new; the request before it was answered and counted.
    if (stop.stop_requested()) throw Cancelled();
    size_t take = pending.next_request(target_ops_.load());
    es::BulkBuilder builder;
    size_t expected = 0;  // reserved once: a doubling body would hold up to twice the request
    for (size_t i = 0; i < take; ++i) {
      expected += es::BulkBuilder::estimate(settings_.index, pending[i].id, pending[i].source);
    }
    builder.reserve(expected);
    std::vector<Span> spans(take);
    for (size_t i = 0; i < take; ++i) {
      builder.add(pending[i].op, settings_.index, pending[i].id, pending[i].source);
      const size_t size = pending[i].source.size();
      // add() ends with the source and its newline (nothing at all for a delete).
      spans[i] = {size == 0 ? builder.bytes() : builder.bytes() - 1 - size, size};
    }
    const size_t request_bytes = builder.bytes();
    const std::string body = builder.take();
    pending.lend_sources(take);
    std::vector<Operation> retry;
    try {
      counters_.bulk_requests++;
      auto response = post_(body);
      // Not the `errors` flag alone: an item not answered ok may be sent again.
      if (response.errors || response.items.size() != take ||
          !std::all_of(response.items.begin(), response.items.end(),
                       [](const es::BulkItem& item) { return item.ok(); })) {
        pending.restore_sources(body, spans);
      }
      auto chunk = pending.take_front(take);
      handle_items(response, chunk, spans, retry);
      grow();
      last_progress = std::chrono::steady_clock::now();
      if (retry.empty()) {
        failures = 0;
        continue;
      }
    } catch (const es::EsError& e) {
      pending.restore_sources(body, spans);  // all of them are sent again, or reported
      if (e.status() == kTooLarge) {
        if (take == 1) {
          refuse_too_large(pending.take_front(1).front(), request_bytes);
        } else {
          lower_bytes_target(request_bytes);
          pending.split(take);
          spdlog::debug(
              "_bulk of {} operations ({} bytes) refused as too large; sending it in halves", take,
              request_bytes);
        }
        continue;
      }
      if (is_unanswered(e)) pending.sent_unanswered(take);
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

void BulkSender::refuse_too_large(const Operation& op, size_t request_bytes) {
  counters_.failed_document_count++;
  std::string reason = fmt::format(
      "a _bulk request of this document alone ({} bytes) was refused as too large (HTTP 413)",
      request_bytes);
  spdlog::error("document {} was not indexed: {}", op.id, reason);
  monitor_.error({op.id, "request_entity_too_large", std::move(reason)});
}

void BulkSender::log_operation(const Operation& op, const es::BulkItem& item) {
  const char* name = op.op == es::BulkOp::kDelete ? "delete" : "index";
  if (item.ok()) {
    spdlog::info("bulk {} of document {}: {}", name, op.id, item.result);
  } else {
    spdlog::info("bulk {} of document {}: HTTP {} {}: {}", name, op.id, item.status,
                 item.error_type, item.error_reason);
  }
}

void BulkSender::handle_items(const es::BulkResponse& response, std::vector<Operation>& chunk,
                              const std::vector<Span>& spans, std::vector<Operation>& retry) {
  long long operations = 0;  // those that took a sequence number
  std::vector<IdEntry> written;
  MonitorFeed feed;
  for (size_t i = 0; i < chunk.size(); ++i) {
    Operation& op = chunk[i];
    if (i >= response.items.size()) {
      counters_.failed_document_count++;
      feed.error({op.id, "missing_bulk_item", "the _bulk answer has no item for it"});
      continue;
    }
    const es::BulkItem& item = response.items[i];
    if (settings_.log_operations) log_operation(op, item);
    if (item.result == "created" || item.result == "updated" || item.result == "deleted" ||
        item.result == "not_found") {
      ++operations;
    }
    if (op.op == es::BulkOp::kDelete && (item.ok() || item.status == 404)) {
      counters_.deleted_document_count++;  // gone either way
      feed.success();
      continue;
    }
    if (item.ok()) {
      counters_.indexed_document_count++;
      counters_.indexed_document_volume += static_cast<long long>(spans[i].size);
      if (tally_ != nullptr && (item.result == "created" || item.result == "updated")) {
        written.push_back({ExistingIds::id_hash(op.id), op.version});
      }
      feed.success();
      continue;
    }
    if (item.status == 429 || es::is_retryable_status(item.status)) {
      retry.push_back(std::move(op));  // the node was busy with this item: send it again
      continue;
    }
    counters_.failed_document_count++;
    spdlog::error("document {} was not indexed: {}: {}", op.id, item.error_type, item.error_reason);
    feed.error({op.id, item.error_type, item.error_reason});
  }
  if (tally_ != nullptr) tally_->written(written, operations);
  // Only now, with every item counted, may the monitor trip.
  feed.replay(monitor_);
}

}  // namespace connectors::sync
