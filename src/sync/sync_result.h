// What a sync did: the counters the job document records, the documents that
// failed (with id, ES error type and reason) and how the sync ended.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace connectors::sync {

struct DocumentError {
  std::string id;
  std::string type;  // ES error type, or document_too_large / request_entity_too_large /
                     // invalid_document
  std::string reason;
};

enum class SyncStatus {
  kCompleted,            // every document made it
  kCompletedWithErrors,  // the sync ran to the end, but some documents failed
  kFailed,               // the sync stopped on an error; nothing was deleted
  kCanceled,
};

const char* status_name(SyncStatus status);

// Live counters, updated by the sync's threads and read by progress reporters.
struct SyncCounters {
  std::atomic<long long> docs_extracted{0};
  std::atomic<long long> docs_unchanged{0};  // skipped: same version as in the index
  std::atomic<long long> docs_filtered{0};   // excluded by the basic sync rules
  std::atomic<long long> docs_queued{0};     // sent or to be sent
  std::atomic<long long> indexed_document_count{0};
  std::atomic<long long> indexed_document_volume{0};  // bytes of the indexed documents
  std::atomic<long long> deleted_document_count{0};
  std::atomic<long long> failed_document_count{0};
  std::atomic<long long> bulk_requests{0};
  std::atomic<long long> bulk_retries{0};
  std::atomic<long long> unconfirmed_operations{0};  // see SyncResult
  std::atomic<long long> content_fetches{0};         // documents whose content was read
  std::atomic<long long> content_bytes_read{0};      // bytes of content read from the source
  std::atomic<long long> extraction_failures{0};     // content read, but no text came of it
};

struct SyncResult {
  SyncStatus status = SyncStatus::kCompleted;
  std::string error;  // why it failed, or a summary of the document errors
  long long docs_extracted = 0;
  long long docs_unchanged = 0;
  long long docs_filtered = 0;
  long long indexed_document_count = 0;
  long long indexed_document_volume = 0;  // bytes
  long long deleted_document_count = 0;
  long long failed_document_count = 0;
  long long existing_documents = 0;  // in the index before the sync
  bool ids_from_cache = false;       // the ids came from the IdCache, not from the index
  bool id_cache_saved = false;       // the next sync may use the IdCache
  long long bulk_requests = 0;
  long long bulk_retries = 0;
  // Operations sent when the sync stopped or failed whose request got no answer
  // (a timeout, a lost connection, a gateway's 502/504, an answer we could not
  // read): the engine may have applied them, so the index may hold up to this
  // many writes more than the counters. 0 whenever every request was answered,
  // as on any clean ending.
  long long unconfirmed_operations = 0;
  // Content reads (ContentRef::fetch) and their bytes: only new and changed
  // documents are read, so a resync with no change reads 0 bytes.
  long long content_fetches = 0;
  long long content_bytes_read = 0;
  // Documents whose content was read but gave no text (a parser error, a
  // crash, a timeout, the extraction service's error): indexed with their
  // metadata only, each named in `warnings`.
  long long extraction_failures = 0;
  size_t id_set_bytes = 0;
  double seconds = 0;
  std::vector<DocumentError> errors;  // the first ones (error_queue_size)
  // What the source left out and said so (DocumentSink::warn): the first
  // kMaxWarnings, and how many there were in all.
  std::vector<std::string> warnings;
  long long warning_count = 0;
  static constexpr size_t kMaxWarnings = 20;
};

}  // namespace connectors::sync
