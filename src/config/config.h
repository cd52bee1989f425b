// The typed configuration of the service and the CLI, as loaded from config.yml.
// A plain value type: build it with load_config_*() (loader.h), then share it
// read-only between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/secret.h"

namespace connectors::config {

struct ErrorMonitorConfig {
  bool enabled = true;
  int max_total_errors = 1000;
  int max_consecutive_errors = 10;
  double max_error_rate = 0.15;
  int error_window_size = 100;
  int error_queue_size = 10;
};

struct BulkConfig {
  int queue_max_size = 1024;
  int queue_max_mem_size_mib = 25;
  int queue_refresh_interval_s = 1;
  int queue_refresh_timeout_s = 1300;
  int display_every = 100;
  int chunk_size = 500;
  int chunk_max_mem_size_mib = 3;
  int max_text_document_size_mib = 3;
  int max_concurrency = 5;
  int concurrent_downloads = 10;
  int max_retries = 5;
  double retry_interval_s = 10;
  bool enable_operations_logging = false;
  ErrorMonitorConfig error_monitor;
};

struct ElasticsearchConfig {
  std::string host = "http://localhost:9200";
  Secret api_key;
  std::string username = "elastic";
  Secret password;
  bool ssl = true;
  bool verify_certs = true;
  std::string ca_certs;
  std::map<std::string, std::string> headers;
  int request_timeout_s = 240;
  bool retry_on_timeout = true;
  int max_wait_duration_s = 240;
  double initial_backoff_duration_s = 1;
  double backoff_multiplier = 2;
  int max_retries = 5;
  double retry_interval_s = 10;
  std::string log_level = "info";
  bool feature_use_connectors_api = true;
  BulkConfig bulk;
};

struct ServiceConfig {
  bool worker_mode = false;
  std::vector<std::string> service_types;
  int idling_s = 30;
  int heartbeat_s = 300;
  int preflight_max_attempts = 10;
  int preflight_idle_s = 30;
  int max_errors = 20;
  int max_errors_span_s = 600;
  int max_concurrent_content_syncs = 1;
  int max_concurrent_access_control_syncs = 1;
  int max_concurrent_scheduling_tasks = 4;
  long long max_file_download_size = 10485760;
  // The extractor worker processes (not Python framework keys): how many, the
  // address space of each, and the wall-clock time one file may take.
  int extraction_workers = 2;
  int extraction_memory_limit_mib = 1024;
  int extraction_timeout_s = 30;
  int job_cleanup_interval_s = 300;
  int idle_job_threshold_s = 300;
  std::string id_cache_dir;  // resolved from service.id_cache(_dir); empty = no id cache
  bool redact_job_secrets = false;
  std::string log_level = "INFO";
  bool fips_mode = false;
};

struct ConnectorEntry {
  std::string connector_id;
  std::string service_type;
  Secret api_key;
};

struct ExtractionServiceConfig {
  std::string host;  // empty = no external service
  int timeout_s = 30;
  bool use_file_pointers = false;
  int stream_chunk_size = 65536;
  std::string shared_volume_dir = "/app/files";
};

struct Config {
  ElasticsearchConfig elasticsearch;
  ServiceConfig service;
  std::vector<ConnectorEntry> connectors;
  // Native connectors (is_native: true) of these types are served too (8.x).
  std::vector<std::string> native_service_types;
  std::map<std::string, std::string> sources;
  ExtractionServiceConfig extraction_service;
};

}  // namespace connectors::config
