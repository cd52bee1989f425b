// BulkSender turns queued operations into _bulk requests and sends them: each
// of the K sender threads calls run(), gathers up to the current batch size
// (operations and bytes) and posts it on its own kept-alive connection.
// Transient failures (429, 502-504, connection errors) shrink the batch size
// shared by all senders and are retried with backoff until no request has
// succeeded for bulk.queue_refresh_timeout; successes grow it back. A request
// refused as too large (413) is split in halves, down to a single operation,
// which alone is reported as failed. Items rejected with 429 are re-sent; other
// item errors go to the ErrorMonitor. The counters only ever hold what the
// engine acknowledged: a stop sends nothing new but lets a request in flight
// finish and be counted. Thread-safe: one BulkSender is shared by the sender
// threads.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/bounded_queue.h"
#include "es/client.h"
#include "sync/error_monitor.h"
#include "sync/id_cache.h"
#include "sync/sync_result.h"

namespace connectors::sync {

struct Operation {
  es::BulkOp op = es::BulkOp::kIndex;
  std::string id;
  std::string source;    // the document as one JSON line; empty for deletes
  uint64_t version = 0;  // what change detection compares (ExistingIds)
  size_t bytes() const { return id.size() + source.size() + 64; }
};

using OperationQueue = BoundedQueue<Operation>;

struct SenderSettings {
  std::string index;
  std::string pipeline;  // empty = none
  size_t max_ops = 500;
  size_t max_bytes = 3 << 20;
  std::chrono::milliseconds retry_base{10000};
  std::chrono::milliseconds stall_timeout{1300000};
  std::chrono::milliseconds idle_flush{1000};
  bool log_operations = false;  // bulk.enable_operations_logging: a line per answered item
};

// Posts one _bulk body and returns the engine's per-item answer; throws EsError
// when the request as a whole fails. It is never aborted by a stop: its own
// request timeout bounds it, so that its answer can be counted.
using BulkPoster = std::function<es::BulkResponse(const std::string& ndjson)>;

class BulkSender {
 public:
  // `tally`, if given, is told of every write that succeeded (for the IdCache).
  BulkSender(es::ClientOptions client_options, SenderSettings settings, SyncCounters& counters,
             ErrorMonitor& monitor, WriteTally* tally = nullptr);
  // The same with its own way of posting (tests).
  BulkSender(BulkPoster post, SenderSettings settings, SyncCounters& counters,
             ErrorMonitor& monitor, WriteTally* tally = nullptr);

  // Sends until the queue is closed and drained. Throws on a fatal error
  // (overloaded cluster, a request ES refuses outright, too many document
  // errors), and Cancelled once `stop` is requested — after the request in
  // flight, if any, was answered and counted.
  void run(OperationQueue& queue, std::stop_token stop);

  size_t batch_target() const { return target_ops_.load(); }
  size_t batch_bytes_target() const { return target_bytes_.load(); }

 private:
  class Pending;
  struct Span {  // where an operation's source is in a request body
    size_t offset = 0;
    size_t size = 0;
  };
  void send(std::vector<Operation>& batch, std::stop_token stop);
  void send_pending(Pending& pending, std::stop_token stop);
  static void log_operation(const Operation& op, const es::BulkItem& item);
  // `spans[i]`: where chunk[i]'s source was in the body (the source itself is
  // empty when the request was answered without errors).
  void handle_items(const es::BulkResponse& response, std::vector<Operation>& chunk,
                    const std::vector<Span>& spans, std::vector<Operation>& retry);
  void refuse_too_large(const Operation& op, size_t request_bytes);
  void shrink();
  void grow();
  void lower_bytes_target(size_t refused_bytes);

  BulkPoster post_;
  SenderSettings settings_;
  SyncCounters& counters_;
  ErrorMonitor& monitor_;
  WriteTally* tally_;
  std::atomic<size_t> target_ops_;
  std::atomic<size_t> target_bytes_;  // lowered after a 413, for the batches to come
};

}  // namespace connectors::sync
