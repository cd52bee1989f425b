// A full sync of one source into one content index: the source's documents are
// upserted (unchanged ones skipped), the documents it no longer has are deleted
// — but only when the enumeration finished without error. Runs one producer
// thread (source, change detection, deletions) and K bulk sender threads; the
// caller's thread waits and reports progress. A stop (or a failure) sends no
// new _bulk request but lets those in flight finish, so that the counters are
// what the engine acknowledged; it returns when they are answered, within
// about a second on a healthy engine.
#pragma once

#include <functional>
#include <stop_token>
#include <string>

#include "config/config.h"
#include "es/client.h"
#include "sources/source.h"
#include "sync/basic_rules.h"
#include "sync/content_extract.h"
#include "sync/sync_result.h"

namespace connectors::sync {

struct SyncOptions {
  std::string index;
  std::string pipeline;  // empty = no pipeline parameter on _bulk
  bool extract_binary_content = true;
  bool reduce_whitespace = true;
  bool run_ml_inference = false;
  bool skip_unchanged = true;
  BasicRules rules;  // documents they exclude are not indexed, and deleted if indexed before
  config::BulkConfig bulk;
  // Content (sources::ContentRef) is read for new and changed documents only,
  // by this many workers at once (elasticsearch.bulk.concurrent_downloads, or
  // the connector's own concurrent_downloads field), and not at all when it is
  // larger than max_file_download_size bytes (service.max_file_download_size).
  int concurrent_downloads = 10;
  long long max_file_download_size = 10485760;
  // What becomes of the content read: text in `body` (extracted by worker
  // processes, or by the extraction service) or base64 in `_attachment`.
  ContentOptions content;
  // Where the id set is kept between syncs (IdCache); empty = always read the
  // ids from the index.
  std::string id_cache_dir;
  // The pipeline's control fields (_extract_binary_content, ...) on each
  // document; off for the access-control index, as in the framework.
  bool control_fields = true;
  // Set for an incremental sync (sync/incremental_sync.h): run instead of
  // source.documents(), with no existing-id load, no deletion pass and no id
  // cache — its writes make the next full sync read the ids from the index.
  std::function<void(sources::ChangeSink&, std::stop_token)> changes;
  // Called about every `progress_interval` from the caller's thread.
  std::function<void(const SyncCounters&)> progress;
  std::chrono::milliseconds progress_interval{1000};
};

// What change detection compares: the `_timestamp`, or, when the source gives
// none, a hash of the document's fields.
uint64_t document_version(const sources::Document& doc);

// The JSON line a document is indexed as: its fields plus `id`, `_timestamp`
// (now, when the source has none), `_content_hash` (only then) and the
// pipeline's control fields.
std::string serialize_document(sources::Document& doc, const SyncOptions& options);
// The same with the version already computed (document_version of `doc`).
std::string serialize_document(sources::Document& doc, const SyncOptions& options, uint64_t version);

SyncResult run_full_sync(const es::ClientOptions& client_options, sources::Source& source,
                         const SyncOptions& options, std::stop_token stop = {});

}  // namespace connectors::sync
