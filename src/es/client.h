// Client is the typed Elasticsearch API the rest of the framework uses: info,
// index and mapping management, single documents with optimistic concurrency,
// _bulk, search, count, delete-by-query and ingest pipelines. Every call goes
// through one retry loop (429/502/503/504 and connection errors; never other
// 4xx) and throws EsError with status, ES error type and reason. With
// ClientOptions::trace, every attempt is logged (es/trace.h).
// Thread-safe: share one Client between threads.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>

#include "config/config.h"
#include "es/bulk.h"
#include "es/errors.h"
#include "es/retry.h"
#include "es/transport.h"

namespace connectors::es {

using json = nlohmann::json;

enum class Flavour { kElasticsearch, kOpenSearch };

struct EngineInfo {
  Flavour flavour = Flavour::kElasticsearch;
  std::string version;  // "8.19.21"
  int major = 0;
  std::string cluster_name;
};

// Optimistic concurrency condition from a previous read.
struct SeqNo {
  long long seq_no = 0;
  long long primary_term = 0;
};

struct Document {
  std::string id;
  json source;
  SeqNo seq;
};

struct WriteResult {
  std::string id;
  std::string result;  // created / updated / deleted / noop / not_found
  SeqNo seq;
};

enum class Refresh { kNo, kYes, kWaitFor };

struct ClientOptions {
  TransportOptions transport;
  int max_retries = 5;
  std::chrono::milliseconds retry_base{10000};
  std::chrono::milliseconds retry_cap{100000};
  bool retry_on_timeout = true;
  // Log every request and its answer at debug on the transport logger (es/trace.h):
  // elasticsearch.log_level: debug.
  bool trace = false;
};

ClientOptions client_options_from(const config::ElasticsearchConfig& es);

// The JSON object of an answer; an answer that is not one (a proxy's HTML
// page, a truncated body) throws EsError `invalid_response` naming `what`.
json parse_answer(const HttpResponse& response, const std::string& what);

class Client {
 public:
  explicit Client(ClientOptions options);

  // GET /: the engine's flavour and version.
  EngineInfo info(std::stop_token stop = {});

  bool index_exists(const std::string& index);
  void create_index(const std::string& index, const json& body = json::object());
  void delete_index(const std::string& index);
  json get_mapping(const std::string& index);
  void put_mapping(const std::string& index, const json& mapping);
  void refresh(const std::string& index);

  std::optional<Document> get_document(const std::string& index, const std::string& id);
  // Index (create or replace). Without `id`, ES picks one. With `if_seq`, a stale
  // seq_no/primary_term throws EsError with is_version_conflict().
  WriteResult index_document(const std::string& index, const std::optional<std::string>& id,
                             const json& doc, const std::optional<SeqNo>& if_seq = std::nullopt,
                             Refresh refresh = Refresh::kNo);
  WriteResult update_document(const std::string& index, const std::string& id,
                              const json& partial_doc,
                              const std::optional<SeqNo>& if_seq = std::nullopt,
                              Refresh refresh = Refresh::kNo);
  WriteResult delete_document(const std::string& index, const std::string& id,
                              const std::optional<SeqNo>& if_seq = std::nullopt,
                              Refresh refresh = Refresh::kNo);

  // POST /_bulk with a finished NDJSON body; per-item results, never throws for
  // item failures. Transient failures of the whole request are retried.
  BulkResponse bulk(const std::string& ndjson, const std::optional<std::string>& pipeline = {},
                    Refresh refresh = Refresh::kNo, std::stop_token stop = {});

  json search(const std::string& index, const json& body, std::stop_token stop = {});
  long long count(const std::string& index, const json& query = json());
  // Returns the number of documents deleted.
  long long delete_by_query(const std::string& index, const json& query, bool refresh = true);

  void put_pipeline(const std::string& id, const json& body);
  std::optional<json> get_pipeline(const std::string& id);

  // One request with the retry policy; throws EsError for any non-2xx status
  // except those in `accepted` (returned as-is).
  HttpResponse request(std::string_view method, const std::string& path, std::string_view body = {},
                       std::string_view content_type = "application/json",
                       std::initializer_list<int> accepted = {}, std::stop_token stop = {});

  const ClientOptions& options() const { return options_; }

 private:
  ClientOptions options_;
  Transport transport_;
};

// Percent-encodes a path segment (index names, document ids).
std::string encode_path(std::string_view segment);

// Builds an EsError from an error response body, naming `context` (e.g. "PUT /idx").
EsError error_from_response(const HttpResponse& response, const std::string& context);

}  // namespace connectors::es
