#include "sync/full_sync.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <optional>
#include <thread>

#include "core/errors.h"
#include "core/iso_time.h"
#include "core/json_dump.h"
#include "es/search.h"
#include "sync/bulk_sender.h"
#include "sync/content_index.h"
#include "sync/existing_ids.h"
#include "sync/id_cache.h"
#include "sync/index_state.h"
#include "sync/producer.h"
#include "sync/progress_log.h"

namespace connectors::sync {
namespace {

constexpr int kScanPage = 10000;

// The first fatal error of any thread, and a stop for all of them.
class JobControl {
 public:
  explicit JobControl(std::stop_token outside)
      : forward_(outside, [this] {
          canceled_ = true;
          stop_.request_stop();
        }) {}

  std::stop_token token() { return stop_.get_token(); }
  bool canceled() const { return canceled_ && !failed(); }

  void fail(const std::string& message) {
    {
      std::lock_guard lock(mutex_);
      if (error_.empty()) error_ = message;
    }
    stop_.request_stop();
  }
  bool failed() const {
    std::lock_guard lock(mutex_);
    return !error_.empty();
  }
  std::string error() const {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  std::stop_source stop_;
  std::atomic<bool> canceled_{false};
  mutable std::mutex mutex_;
  std::string error_;  // guarded by mutex_
  std::stop_callback<std::function<void()>> forward_;
};

uint64_t parse_hex(const std::string& text) {
  try {
    return std::stoull(text, nullptr, 16);
  } catch (const std::exception&) {
    return 0;
  }
}

// True if the index maps `id` as keyword and `_timestamp` as date, both with doc
// values: then ids and versions can be read from doc values, which skips
// loading stored fields and is about twice as fast as reading _source.
bool has_doc_value_ids(es::Client& client, const std::string& index) {
  es::json mapping = client.get_mapping(index);
  const es::json& props =
      mapping.contains("properties") ? mapping["properties"] : es::json::object();
  auto is = [&](const char* field, const char* type) {
    return props.contains(field) && props[field].value("type", "") == type &&
           props[field].value("doc_values", true);
  };
  return is("id", "keyword") && is("_timestamp", "date") &&
         (!props.contains("_content_hash") || is("_content_hash", "keyword"));
}

uint64_t version_from_source(const es::json& source) {
  if (source.contains("_content_hash") && source["_content_hash"].is_string()) {
    return parse_hex(source["_content_hash"].get<std::string>());
  }
  if (source.contains("_timestamp") && source["_timestamp"].is_string()) {
    return ExistingIds::version_of_timestamp(source["_timestamp"].get<std::string>());
  }
  return 0;
}

uint64_t version_from_doc_values(const es::json& fields) {
  if (fields.contains("_content_hash"))
    return parse_hex(fields["_content_hash"][0].get<std::string>());
  if (fields.contains("_timestamp")) {
    return ExistingIds::version_of_millis(std::stoll(fields["_timestamp"][0].get<std::string>()));
  }
  return 0;
}

// Loads (id, version) of every document in the index: 16 bytes per id.
void load_existing(es::Client& client, const std::string& index, ExistingIds& ids,
                   std::stop_token stop) {
  if (!client.index_exists(index)) return;
  auto started = std::chrono::steady_clock::now();
  client.refresh(index);  // see the documents of a sync that just ended
  ids.reserve(static_cast<size_t>(client.count(index)));
  bool doc_values = has_doc_value_ids(client, index);
  es::json body = {{"sort", es::json::array({"_doc"})}};
  if (doc_values) {
    body["stored_fields"] = "_none_";
    body["docvalue_fields"] = es::json::array(
        {"id", "_content_hash", {{"field", "_timestamp"}, {"format", "epoch_millis"}}});
  } else {
    body["_source"] = es::json::array({"_timestamp", "_content_hash"});
  }
  es::ScrollReader reader(client, index, body, kScanPage, "2m",
                          doc_values ? "hits.hits.fields" : "hits.hits._id,hits.hits._source");
  std::vector<es::json> hits;
  while (reader.next(hits, stop)) {
    for (const auto& hit : hits) {
      if (doc_values) {
        const auto& fields = hit.contains("fields") ? hit["fields"] : es::json::object();
        if (!fields.contains("id")) continue;  // not written by a connector: never deleted
        ids.add(fields["id"][0].get<std::string>(), version_from_doc_values(fields));
      } else {
        ids.add(hit.value("_id", ""),
                version_from_source(hit.contains("_source") ? hit["_source"] : es::json::object()));
      }
    }
  }
  ids.seal();
  spdlog::info("{} documents already in {} ({} KiB of ids, loaded in {:.2f} s)", ids.size(), index,
               ids.memory_bytes() / 1024,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

}  // namespace

uint64_t document_version(const sources::Document& doc) {
  if (!doc.timestamp.empty()) return ExistingIds::version_of_timestamp(doc.timestamp);
  return ExistingIds::version_of(dump_json(doc.fields));
}

std::string serialize_document(sources::Document& doc, const SyncOptions& options) {
  return serialize_document(doc, options, document_version(doc));
}

std::string serialize_document(sources::Document& doc, const SyncOptions& options,
                               uint64_t version) {
  es::json& fields = doc.fields;
  if (!fields.is_object()) fields = es::json::object();
  if (doc.timestamp.empty()) fields["_content_hash"] = fmt::format("{:x}", version);
  fields["id"] = doc.id;
  fields["_timestamp"] = doc.timestamp.empty() ? iso_utc_now() : doc.timestamp;
  if (options.control_fields) {
    fields[kExtractBinaryContent] = options.extract_binary_content;
    fields[kReduceWhitespace] = options.reduce_whitespace;
    fields[kRunMlInference] = options.run_ml_inference;
  }
  std::string line = dump_json(fields);
  // The text grows the string by doubling: up to twice its size, held while the
  // line waits in the queue, whose memory bound counts sizes.
  line.shrink_to_fit();
  return line;
}

namespace {

// An incremental sync's sink: documents go through the producer as in a full
// sync (rules, serialisation, size limit); deletions are queued as they come.
class ChangeQueue final : public sources::ChangeSink {
 public:
  explicit ChangeQueue(Producer& producer) : producer_(producer) {}
  sources::DocumentSink& documents() override { return producer_; }
  void remove(std::string id) override {
    id = indexed_id(std::move(id));
    if (!id.empty()) producer_.push({es::BulkOp::kDelete, std::move(id), ""});
  }

 private:
  Producer& producer_;
};

// Queues a delete for every document of the index the source did not yield.
void queue_deletions(es::Client& client, const std::string& index, const ExistingIds& existing,
                     Producer& producer, std::stop_token stop) {
  if (existing.unseen() == 0) return;
  client.refresh(index);  // the ids may come from the cache: see the last sync's documents
  es::ScrollReader reader(client, index, {{"_source", false}, {"sort", es::json::array({"_doc"})}},
                          kScanPage, "2m", "hits.hits._id");
  std::vector<es::json> hits;
  while (reader.next(hits, stop)) {
    for (const auto& hit : hits) {
      std::string id = hit.value("_id", "");
      if (existing.is_unseen(id)) producer.push({es::BulkOp::kDelete, std::move(id), ""});
    }
  }
}

// Saves the id set as the sync left the index, if every sequence number the
// index took since `start` is one of this sync's writes; drops it otherwise.
bool save_id_cache(const IdCache& cache, es::Client& client, const std::string& index,
                   const IndexState& start, bool clean, WriteTally& tally, ExistingIds& existing) {
  std::string why;
  try {
    if (!clean) {
      why = "the sync did not succeed for every document";
    } else if (start.empty() || !start.settled()) {
      why = "the index had writes in flight when the sync started";
    } else {
      IndexState end = read_index_state(client, index);
      long long operations = end.operations_since(start);
      if (operations < 0 || !end.settled()) {
        why = "the index was replaced or is still taking writes";
      } else if (operations != tally.operations()) {
        why = fmt::format("the index took {} writes during the sync, {} of them ours", operations,
                          tally.operations());
      } else {
        existing.apply_sync(tally.take());
        if (cache.save(end, existing, why)) {
          spdlog::debug("id cache of {} saved: {} ids in {}", index, existing.size(),
                        cache.path_for(end.uuid));
          return true;
        }
      }
    }
  } catch (const std::exception& e) {
    why = e.what();
  }
  cache.remove();
  spdlog::info("id cache of {} not saved: {}; the next sync reads the ids from the index", index,
               why);
  return false;
}

SenderSettings sender_settings(const SyncOptions& options) {
  SenderSettings s;
  s.index = options.index;
  s.pipeline = options.pipeline;
  s.max_ops = static_cast<size_t>(options.bulk.chunk_size);
  s.max_bytes = static_cast<size_t>(options.bulk.chunk_max_mem_size_mib) << 20;
  // The senders' batches count in the queue's bound (BulkSender::run): each
  // gets at most a share of it, with a share left for the documents waiting.
  size_t queue_bytes = static_cast<size_t>(options.bulk.queue_max_mem_size_mib) << 20;
  size_t senders = static_cast<size_t>(std::max(1, options.bulk.max_concurrency));
  s.max_bytes = std::max<size_t>(1, std::min(s.max_bytes, queue_bytes / (senders + 1)));
  s.retry_base =
      std::chrono::milliseconds(static_cast<long long>(options.bulk.retry_interval_s * 1000));
  s.stall_timeout = std::chrono::seconds(options.bulk.queue_refresh_timeout_s);
  s.log_operations = options.bulk.enable_operations_logging;
  return s;
}

std::string summarize(const std::vector<DocumentError>& errors, long long failed) {
  if (errors.empty()) return fmt::format("{} documents failed", failed);
  const auto& first = errors.front();
  return fmt::format("{} documents failed; first: document {}: {}: {}", failed, first.id,
                     first.type, first.reason);
}

std::string unconfirmed_note(const SyncResult& result) {
  return fmt::format(
      "{} operations got no answer before the sync stopped: the index may hold up to {} writes "
      "more than counted",
      result.unconfirmed_operations, result.unconfirmed_operations);
}

}  // namespace

SyncResult run_full_sync(const es::ClientOptions& client_options, sources::Source& source,
                         const SyncOptions& options, std::stop_token stop) {
  auto started = std::chrono::steady_clock::now();
  JobControl control(stop);
  SyncCounters counters;
  ErrorMonitor monitor(options.bulk.error_monitor);
  ExistingIds existing;
  es::Client client(client_options);
  OperationQueue queue(static_cast<size_t>(options.bulk.queue_max_size),
                       static_cast<size_t>(options.bulk.queue_max_mem_size_mib) << 20);
  std::optional<IdCache> cache;
  WriteTally tally;
  IndexState start_state;  // before anything was read: the base the operation count starts from
  bool ids_from_cache = false;
  if (!options.id_cache_dir.empty() && !options.changes)
    cache.emplace(options.id_cache_dir, options.index);
  BulkSender sender(client_options, sender_settings(options), counters, monitor,
                    cache ? &tally : nullptr);
  bool enumeration_complete = false;
  SyncResult warnings_out;  // the source's warnings, kept when the producer ends

  auto guarded = [&](const char* what, const std::function<void()>& body) {
    try {
      body();
    } catch (const Cancelled&) {
      // the job's stop: its cause is recorded elsewhere
    } catch (const std::exception& e) {
      spdlog::error("{} failed: {}", what, e.what());
      control.fail(e.what());
    }
  };

  const int sender_count = std::max(1, options.bulk.max_concurrency);
  std::atomic<int> running{1 + sender_count};
  std::thread producer_thread([&] {
    guarded("sync producer", [&] {
      ensure_content_index(client, options.index);
      if (!options.pipeline.empty()) ensure_pipeline(client, options.pipeline);
      if (cache) {
        std::string why;
        try {
          start_state = read_index_state(client, options.index);
          ids_from_cache = cache->load(start_state, existing, why);
        } catch (const es::EsError& e) {
          why = e.what();  // e.g. no right to read index stats: the sync reads the ids instead
        }
        if (ids_from_cache) {
          spdlog::info(
              "{} documents already in {} (from the id cache: the index is as the last sync left "
              "it)",
              existing.size(), options.index);
        } else {
          spdlog::info("id cache of {} not used: {}", options.index, why);
        }
      }
      if (!ids_from_cache && !options.changes)
        load_existing(client, options.index, existing, control.token());
      Producer producer(options, existing, queue, counters, monitor, control.token());
      struct KeepWarnings {
        Producer& p;
        SyncResult& r;
        ~KeepWarnings() { p.take_warnings(r); }
      } keep{producer, warnings_out};
      if (options.changes) {
        ChangeQueue changes(producer);
        options.changes(changes, control.token());
      } else {
        source.documents(producer, control.token());
      }
      producer.finish();  // the content fetches still running
      if (control.token().stop_requested()) return;
      enumeration_complete = true;
      if (!options.changes)
        queue_deletions(client, options.index, existing, producer, control.token());
    });
    queue.close();
    running--;
  });
  std::vector<std::thread> senders;
  for (int i = 0; i < sender_count; ++i) {
    senders.emplace_back([&] {
      guarded("bulk sender", [&] { sender.run(queue, control.token()); });
      running--;
    });
  }

  // The caller's thread reports progress until every worker is done.
  auto last_report = std::chrono::steady_clock::now();
  ProgressLog progress_log(options.bulk.display_every);
  while (running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto now = std::chrono::steady_clock::now();
    if (options.progress && now - last_report >= options.progress_interval) {
      options.progress(counters);
      last_report = now;
    }
    progress_log.maybe_log(counters, now);
  }
  producer_thread.join();
  for (auto& t : senders) t.join();
  if (options.progress) options.progress(counters);

  SyncResult result;
  result.docs_extracted = counters.docs_extracted;
  result.docs_unchanged = counters.docs_unchanged;
  result.docs_filtered = counters.docs_filtered;
  result.indexed_document_count = counters.indexed_document_count;
  result.indexed_document_volume = counters.indexed_document_volume;
  result.deleted_document_count = counters.deleted_document_count;
  result.failed_document_count = counters.failed_document_count;
  result.bulk_requests = counters.bulk_requests;
  result.bulk_retries = counters.bulk_retries;
  result.unconfirmed_operations = counters.unconfirmed_operations;
  result.content_fetches = counters.content_fetches;
  result.content_bytes_read = counters.content_bytes_read;
  result.extraction_failures = counters.extraction_failures;
  result.existing_documents = static_cast<long long>(existing.size());
  result.ids_from_cache = ids_from_cache;
  result.id_set_bytes = existing.memory_bytes();
  result.errors = monitor.kept();
  result.warnings = std::move(warnings_out.warnings);
  result.warning_count = warnings_out.warning_count;
  bool clean = !control.failed() && !control.canceled() && enumeration_complete &&
               result.failed_document_count == 0;
  if (cache)
    result.id_cache_saved =
        save_id_cache(*cache, client, options.index, start_state, clean, tally, existing);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (result.unconfirmed_operations > 0) {
    spdlog::warn("sync of {}: {}", options.index, unconfirmed_note(result));
  }
  if (control.failed()) {
    result.status = SyncStatus::kFailed;
    result.error = control.error();
    if (!enumeration_complete) result.error += " (nothing was deleted)";
    if (result.unconfirmed_operations > 0) result.error += "; " + unconfirmed_note(result);
  } else if (control.canceled()) {
    result.status = SyncStatus::kCanceled;
  } else if (result.failed_document_count > 0) {
    result.status = SyncStatus::kCompletedWithErrors;
    result.error = summarize(result.errors, result.failed_document_count);
  }
  return result;
}

}  // namespace connectors::sync
