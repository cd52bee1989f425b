#include "config/keys.h"

#include <array>

namespace connectors::config {
namespace {

using T = ValueType;

// Defaults are those of the Python framework 9.x (reference/framework.md §6).
constexpr std::array kKeys = {
    KeySpec{"elasticsearch.host", T::kString, "http://localhost:9200", 0, 0,
            "URL of the Elasticsearch cluster."},
    KeySpec{"elasticsearch.api_key", T::kSecret, "", 0, 0,
            "API key (the base64 `id:key` form). Wins over username/password when set."},
    KeySpec{"elasticsearch.username", T::kString, "elastic", 0, 0, "User for basic auth."},
    KeySpec{"elasticsearch.password", T::kSecret, "changeme", 0, 0, "Password for basic auth."},
    KeySpec{"elasticsearch.ssl", T::kBool, "true", 0, 0,
            "Enables TLS options below for https hosts."},
    KeySpec{"elasticsearch.verify_certs", T::kBool, "true", 0, 0,
            "Verify the server certificate and host name."},
    KeySpec{"elasticsearch.ca_certs", T::kString, "", 0, 0,
            "Path to a PEM file of CA certificates to trust."},
    KeySpec{"elasticsearch.headers", T::kStringMap, "", 0, 0,
            "Extra HTTP headers sent with every request."},
    KeySpec{"elasticsearch.request_timeout", T::kInt, "240", 1, 86400,
            "Seconds before a request to Elasticsearch times out."},
    KeySpec{"elasticsearch.retry_on_timeout", T::kBool, "true", 0, 0,
            "Retry a request that timed out."},
    KeySpec{"elasticsearch.max_wait_duration", T::kInt, "240", 0, 86400,
            "Seconds to wait at startup for Elasticsearch to become available."},
    KeySpec{"elasticsearch.initial_backoff_duration", T::kFloat, "1", 0, 3600,
            "Seconds of the first wait between startup attempts."},
    KeySpec{"elasticsearch.backoff_multiplier", T::kFloat, "2", 1, 100,
            "Factor applied to the backoff after each failed attempt."},
    KeySpec{"elasticsearch.max_retries", T::kInt, "5", 0, 100,
            "Attempts after the first for requests that fail transiently (429, 502-504, network)."},
    KeySpec{"elasticsearch.retry_interval", T::kFloat, "10", 0, 3600,
            "Base seconds between retries (exponential with jitter, capped at 10x this)."},
    KeySpec{"elasticsearch.log_level", T::kString, "info", 0, 0,
            "Level of the request trace: debug logs every request and answer, secrets masked."},
    KeySpec{"elasticsearch.feature_use_connectors_api", T::kBool, "true", 0, 0,
            "Use the _connector API where the cluster has it; else write the indices directly."},
    KeySpec{"elasticsearch.bulk.queue_max_size", T::kInt, "1024", 1, 1e7,
            "Documents held in the queue between the source and the bulk senders."},
    KeySpec{"elasticsearch.bulk.queue_max_mem_size", T::kInt, "25", 1, 1e5,
            "MiB of documents the sync holds: those waiting in that queue and the batches the "
            "bulk senders are sending until they are answered."},
    KeySpec{"elasticsearch.bulk.queue_refresh_interval", T::kInt, "1", 0, 3600,
            "Seconds between checks of a full queue."},
    KeySpec{"elasticsearch.bulk.queue_refresh_timeout", T::kInt, "1300", 1, 86400,
            "Seconds a full queue may stall before the sync fails as overloaded."},
    KeySpec{"elasticsearch.bulk.display_every", T::kInt, "100", 1, 1e9,
            "Log a progress line each time this many more documents came from the source (at most once a second)."},
    KeySpec{"elasticsearch.bulk.chunk_size", T::kInt, "500", 1, 1e6,
            "Operations per _bulk request."},
    KeySpec{"elasticsearch.bulk.chunk_max_mem_size", T::kInt, "3", 1, 1e4,
            "MiB per _bulk request (at most queue_max_mem_size / (max_concurrency + 1), so "
            "that every sender's batch fits in the queue's bound)."},
    KeySpec{"elasticsearch.bulk.max_text_document_size", T::kInt, "3", 0, 1e4,
            "MiB a document without attachment may have; larger ones are skipped and "
            "reported. 0 disables the limit."},
    KeySpec{"elasticsearch.bulk.max_concurrency", T::kInt, "5", 1, 256,
            "Concurrent _bulk requests per sync."},
    KeySpec{"elasticsearch.bulk.concurrent_downloads", T::kInt, "10", 1, 256,
            "Concurrent content downloads per sync."},
    KeySpec{"elasticsearch.bulk.max_retries", T::kInt, "5", 0, 100,
            "Attempts after the first for a _bulk request that fails transiently."},
    KeySpec{"elasticsearch.bulk.retry_interval", T::kFloat, "10", 0, 3600,
            "Base seconds between _bulk retries."},
    KeySpec{"elasticsearch.bulk.enable_operations_logging", T::kBool, "false", 0, 0,
            "Log the outcome of every _bulk operation."},
    KeySpec{"elasticsearch.bulk.error_monitor.enabled", T::kBool, "true", 0, 0,
            "Fail a sync when document errors pass the thresholds below."},
    KeySpec{"elasticsearch.bulk.error_monitor.max_total_errors", T::kInt, "1000", 0, 1e9,
            "Failed documents per sync before it fails."},
    KeySpec{"elasticsearch.bulk.error_monitor.max_consecutive_errors", T::kInt, "10", 0, 1e9,
            "Consecutive failed documents before the sync fails."},
    KeySpec{"elasticsearch.bulk.error_monitor.max_error_rate", T::kFloat, "0.15", 0, 1,
            "Share of failed documents in the window before the sync fails."},
    KeySpec{"elasticsearch.bulk.error_monitor.error_window_size", T::kInt, "100", 1, 1e6,
            "Documents in the window for max_error_rate."},
    KeySpec{"elasticsearch.bulk.error_monitor.error_queue_size", T::kInt, "10", 1, 1e4,
            "Last errors kept to report with a failed sync."},

    KeySpec{"service.worker_mode", T::kBool, "false", 0, 0,
            "Discover connectors by service type instead of the `connectors` list."},
    KeySpec{"service.service_types", T::kStringList, "", 0, 0,
            "Service types handled in worker mode."},
    KeySpec{"service.idling", T::kInt, "30", 1, 86400, "Seconds between polls for work."},
    KeySpec{"service.heartbeat", T::kInt, "300", 1, 86400,
            "Seconds between connector last_seen updates."},
    KeySpec{"service.preflight_max_attempts", T::kInt, "10", 1, 1e6,
            "Attempts at start-up to set up the system indices, once Elasticsearch answers."},
    KeySpec{"service.preflight_idle", T::kInt, "30", 0, 86400,
            "Seconds between those attempts."},
    KeySpec{"service.max_errors", T::kInt, "20", 1, 1e6,
            "Errors of one service loop within max_errors_span before the service stops."},
    KeySpec{"service.max_errors_span", T::kInt, "600", 1, 1e7,
            "Seconds of the max_errors window."},
    KeySpec{"service.max_concurrent_content_syncs", T::kInt, "1", 1, 1000,
            "Full and incremental syncs run at once by this process."},
    KeySpec{"service.max_concurrent_syncs", T::kInt, "1", 1, 1000,
            "Deprecated (8.8) name of max_concurrent_content_syncs, used when that is not set."},
    KeySpec{"service.max_concurrent_access_control_syncs", T::kInt, "1", 1, 1000,
            "Access-control syncs run at once by this process."},
    KeySpec{"service.max_concurrent_scheduling_tasks", T::kInt, "4", 1, 1000,
            "Connectors checked for scheduling at once."},
    KeySpec{"service.max_file_download_size", T::kInt, "10485760", 0, 1e12,
            "Bytes: larger files are not downloaded for content extraction."},
    KeySpec{"service.extraction_workers", T::kInt, "2", 1, 64,
            "Worker processes that extract the text of files (connectors-extractor), shared by "
            "every sync of this process (not a Python framework key)."},
    KeySpec{"service.extraction_memory_limit", T::kInt, "1024", 0, 1e6,
            "MiB of address space each extractor worker may use (RLIMIT_AS); a file that needs "
            "more fails alone. 0: no limit (not a Python framework key)."},
    KeySpec{"service.extraction_timeout", T::kInt, "30", 1, 86400,
            "Seconds one file's extraction may take; then its worker is killed and replaced, "
            "and the file indexed with its metadata only (not a Python framework key)."},
    KeySpec{"service.job_cleanup_interval", T::kInt, "300", 1, 86400,
            "Seconds between cleanups of orphaned and idle jobs."},
    KeySpec{"service.idle_job_threshold", T::kInt, "300", 5, 86400,
            "Seconds without progress after which a running job is taken as dead and ended "
            "as error by the cleanup (the framework's fixed 5 minutes)."},
    KeySpec{"service.id_cache", T::kBool, "true", 0, 0,
            "Keep each content index's id set on disk after a sync, so that the next sync of an "
            "index nobody wrote to since skips reading every id back (not a Python framework key)."},
    KeySpec{"service.id_cache_dir", T::kString, "", 0, 0,
            "Directory of the id cache; empty: `$XDG_CACHE_HOME/elastic-ingest/ids`, or "
            "`~/.cache/elastic-ingest/ids` (not a Python framework key)."},
    KeySpec{"service.redact_job_secrets", T::kBool, "false", 0, 0,
            "Leave the values of sensitive fields out of the configuration copied into job "
            "documents (the runner takes them from the connector). Off by default: Kibana and the "
            "Python framework copy them, and its service runs jobs from that copy; turn it on only "
            "where no Python-framework service runs (not a Python framework key)."},
    KeySpec{"service.log_level", T::kString, "INFO", 0, 0,
            "DEBUG, INFO, WARNING, ERROR or CRITICAL; --log-level and --debug win."},
    KeySpec{"service.fips_mode", T::kBool, "false", 0, 0,
            "Refuse sources that need non-FIPS cryptography (network_drive)."},

    KeySpec{"connectors", T::kConnectors, "", 0, 0,
            "Connectors this process serves: a list of {connector_id, service_type, api_key}."},
    KeySpec{"native_service_types", T::kStringList, "", 0, 0,
            "Python framework 8.x: also serve every native connector (is_native: true) of these "
            "service types."},
    KeySpec{"_force_allow_native", T::kBool, "false", 0, 0,
            "Python framework 8.x: silences the warning about native_service_types; no other effect."},
    KeySpec{"connector_id", T::kString, "", 0, 0,
            "Deprecated single-connector form of `connectors`."},
    KeySpec{"service_type", T::kString, "", 0, 0, "Deprecated, goes with `connector_id`."},
    KeySpec{"sources", T::kStringMap, "", 0, 0,
            "service_type -> implementation. Only the sources built into this binary can be "
            "named; the Python class paths of the framework are accepted for compatibility."},

    KeySpec{"extraction_service.host", T::kString, "", 0, 0,
            "URL of the framework's data-extraction service, used by connectors whose "
            "use_text_extraction_service is on; unset = those extract with our own workers."},
    KeySpec{"extraction_service.timeout", T::kInt, "30", 1, 86400,
            "Seconds per extraction request."},
    KeySpec{"extraction_service.use_file_pointers", T::kBool, "false", 0, 0,
            "Pass files through a shared volume instead of the request body."},
    KeySpec{"extraction_service.stream_chunk_size", T::kInt, "65536", 1, 1e9,
            "Bytes per chunk when streaming a file to the service."},
    KeySpec{"extraction_service.shared_volume_dir", T::kString, "/app/files", 0, 0,
            "The shared volume for use_file_pointers."},
};

struct InertKey {
  std::string_view key;
  std::string_view why;
};

constexpr std::array kInertKeys = {
    InertKey{"elasticsearch.feature_use_connectors_api",
             "elastic-ingest reads and writes the connector indices directly, as the framework does "
             "on clusters without the _connector API"},
    InertKey{"elasticsearch.bulk.queue_refresh_interval",
             "a full queue wakes the source as soon as it has room; it is not polled"},
    InertKey{"elasticsearch.bulk.max_retries",
             "a _bulk request that fails transiently is retried (elasticsearch.bulk.retry_interval, "
             "exponential) until elasticsearch.bulk.queue_refresh_timeout passes without a success; "
             "the Python framework 8.19 does not read it either"},
    InertKey{"service.fips_mode", "no source built in needs non-FIPS cryptography"},
};

}  // namespace

std::string_view without_effect(std::string_view key) {
  for (const auto& inert : kInertKeys) {
    if (inert.key == key) return inert.why;
  }
  return {};
}

std::span<const KeySpec> all_keys() { return kKeys; }

const KeySpec* find_key(std::string_view key) {
  for (const auto& spec : kKeys) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

bool is_section(std::string_view prefix) {
  for (const auto& spec : kKeys) {
    if (spec.key.size() > prefix.size() && spec.key.starts_with(prefix) &&
        spec.key[prefix.size()] == '.') {
      return true;
    }
  }
  return false;
}

std::string_view type_name(ValueType type) {
  switch (type) {
    case T::kString: return "string";
    case T::kSecret: return "string (secret)";
    case T::kInt: return "integer";
    case T::kFloat: return "number";
    case T::kBool: return "boolean";
    case T::kStringList: return "list of strings";
    case T::kStringMap: return "mapping of strings";
    case T::kConnectors: return "list of connectors";
  }
  return "?";
}

}  // namespace connectors::config
