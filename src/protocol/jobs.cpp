#include "protocol/jobs.h"

#include "core/iso_time.h"
#include "protocol/indices.h"
#include "protocol/statuses.h"

namespace connectors::protocol {
namespace {

json terms(const char* field, const std::vector<std::string>& values) {
  return {{"terms", {{field, values}}}};
}

json active_statuses() {
  return terms("status", {job_status::kInProgress, job_status::kCanceling});
}

// The connector's configuration without the values of sensitive fields, for
// clusters that want no secrets in job documents (service.redact_job_secrets):
// our runner then takes those values from the connector (see merge_secrets).
json without_secrets(json configuration) {
  for (auto& [key, field] : configuration.items()) {
    if (field.is_object() && field.value("sensitive", false) && field.contains("value")) {
      field["value"] = "";
    }
  }
  return configuration;
}

long long to_mib(long long bytes) { return (bytes + (1 << 19)) >> 20; }  // rounded, as the framework

}  // namespace

std::string SyncJob::connector_id() const {
  return doc.source.value("connector", json::object()).value("id", "");
}
std::string SyncJob::index_name() const {
  return doc.source.value("connector", json::object()).value("index_name", "");
}
std::string SyncJob::service_type() const {
  return doc.source.value("connector", json::object()).value("service_type", "");
}
json SyncJob::configuration() const {
  return doc.source.value("connector", json::object()).value("configuration", json::object());
}
json SyncJob::pipeline() const {
  return doc.source.value("connector", json::object()).value("pipeline", json::object());
}

json merge_secrets(json job_configuration, const json& connector_configuration) {
  if (!job_configuration.is_object() || !connector_configuration.is_object()) return job_configuration;
  for (const auto& [key, field] : connector_configuration.items()) {
    if (!field.is_object() || !field.value("sensitive", false) || !job_configuration.contains(key)) continue;
    json& snapshot = job_configuration[key];
    bool blank = !snapshot.is_object() || !snapshot.contains("value") || snapshot["value"] == "" ||
                 snapshot["value"].is_null();
    if (blank && snapshot.is_object()) snapshot["value"] = field.value("value", json(""));
  }
  return job_configuration;
}

json counters_json(const JobCounters& c) {
  json counters = {{"indexed_document_count", c.indexed_document_count},
                   {"indexed_document_volume", to_mib(c.indexed_document_volume_bytes)},
                   {"deleted_document_count", c.deleted_document_count}};
  // Merged into the job's metadata (a partial update keeps worker_instance).
  if (c.extraction_failures > 0) {
    counters["metadata"] = {{"extraction_failures", c.extraction_failures}};
  }
  return counters;
}

json new_job_document(const Connector& connector, const std::string& job_type,
                      const std::string& trigger_method, bool redact_secrets) {
  std::string now = iso_utc_now();
  std::string index = connector.index_name();
  if (job_type == job_type::kAccessControl) index = access_control_index(index);
  return {{"connector",
           {{"id", connector.id()},
            {"configuration", redact_secrets ? without_secrets(connector.configuration()) : connector.configuration()},
            {"filtering", connector.active_filtering()},
            {"index_name", index},
            {"language", connector.doc.source.value("language", json(nullptr))},
            {"pipeline", connector.pipeline()},
            {"service_type", connector.service_type()}}},
          {"trigger_method", trigger_method},
          {"job_type", job_type},
          {"status", job_status::kPending},
          {"indexed_document_count", 0},
          {"indexed_document_volume", 0},
          {"deleted_document_count", 0},
          {"total_document_count", 0},
          {"error", nullptr},
          {"created_at", now},
          {"last_seen", now},
          {"metadata", json::object()}};
}

JobStore::JobStore(es::Client& client) : store_(client, kJobsIndex) {}

std::string JobStore::create(const Connector& connector, const std::string& job_type,
                             const std::string& trigger_method, bool redact_secrets) {
  return store_.create(new_job_document(connector, job_type, trigger_method, redact_secrets));
}

std::optional<SyncJob> JobStore::get(const std::string& id) {
  auto doc = store_.get(id);
  if (!doc) return std::nullopt;
  return SyncJob{std::move(*doc)};
}

std::vector<SyncJob> JobStore::pending(const std::vector<std::string>& connector_ids) {
  if (connector_ids.empty()) return {};
  json query = {{"bool",
                 {{"filter", json::array({terms("status", {job_status::kPending, job_status::kSuspended}),
                                          terms("connector.id", connector_ids)})}}}};
  std::vector<SyncJob> out;
  for (auto& doc : store_.search(query, json::array({{{"created_at", "asc"}}}), 100)) {
    out.push_back({std::move(doc)});
  }
  return out;
}

std::vector<SyncJob> JobStore::active(const std::vector<std::string>& connector_ids) {
  if (connector_ids.empty()) return {};
  json query = {{"bool", {{"filter", json::array({active_statuses(), terms("connector.id", connector_ids)})}}}};
  std::vector<SyncJob> out;
  for (auto& doc : store_.search(query)) out.push_back({std::move(doc)});
  return out;
}

std::vector<SyncJob> JobStore::of_connector(const std::string& connector_id) {
  std::vector<SyncJob> out;
  for (auto& doc : store_.search({{"term", {{"connector.id", connector_id}}}},
                                 json::array({{{"created_at", "asc"}}}))) {
    out.push_back({std::move(doc)});
  }
  return out;
}

std::vector<SyncJob> JobStore::idle(const std::vector<std::string>& connector_ids,
                                    const std::string& before) {
  if (connector_ids.empty()) return {};
  json query = {{"bool",
                 {{"filter", json::array({active_statuses(), terms("connector.id", connector_ids),
                                          {{"range", {{"last_seen", {{"lte", before}}}}}}})}}}};
  std::vector<SyncJob> out;
  for (auto& doc : store_.search(query)) out.push_back({std::move(doc)});
  return out;
}

std::vector<SyncJob> JobStore::orphaned(const std::vector<std::string>& existing_connector_ids) {
  json query = {{"bool",
                 {{"filter", json::array({active_statuses()})},
                  {"must_not", json::array({terms("connector.id", existing_connector_ids)})}}}};
  std::vector<SyncJob> out;
  for (auto& doc : store_.search(query)) out.push_back({std::move(doc)});
  return out;
}

bool JobStore::claim(const std::string& id, const std::string& worker_hostname, const json& sync_cursor,
                     const json& worker_instance) {
  auto outcome = store_.update(id, [&](const StoredDoc& doc) -> std::optional<json> {
    std::string status = doc.str("status");
    if (status != job_status::kPending && status != job_status::kSuspended) return std::nullopt;
    std::string now = iso_utc_now();
    json partial = {{"status", job_status::kInProgress},
                    {"started_at", now},
                    {"last_seen", now},
                    {"worker_hostname", worker_hostname}};
    if (!sync_cursor.is_null()) partial["connector"] = {{"sync_cursor", sync_cursor}};
    if (!worker_instance.is_null()) partial["metadata"] = {{"worker_instance", worker_instance}};
    return partial;
  }, 1);  // a conflict means another worker claimed it first: no retry
  return outcome == UpdateOutcome::kUpdated;
}

bool JobStore::reject(const std::string& id, const std::string& error) {
  auto outcome = store_.update(id, [&](const StoredDoc& doc) -> std::optional<json> {
    std::string status = doc.str("status");
    if (status != job_status::kPending && status != job_status::kSuspended) return std::nullopt;
    std::string now = iso_utc_now();
    return json{{"status", job_status::kError}, {"error", error}, {"completed_at", now}, {"last_seen", now}};
  });
  return outcome == UpdateOutcome::kUpdated;
}

void JobStore::report(const std::string& id, const JobCounters& counters) {
  json partial = counters_json(counters);
  partial["last_seen"] = iso_utc_now();
  store_.patch(id, partial);
}

bool JobStore::finish(const std::string& id, const std::string& status, const std::string& error,
                      const std::optional<JobCounters>& counters,
                      std::optional<long long> total_document_count) {
  auto outcome = store_.update(id, [&](const StoredDoc& doc) -> std::optional<json> {
    if (!job_transition_allowed(doc.str("status"), status)) return std::nullopt;
    std::string now = iso_utc_now();
    json partial = counters ? counters_json(*counters) : json::object();
    partial["status"] = status;
    partial["last_seen"] = now;
    partial["error"] = error.empty() ? json(nullptr) : json(error);
    if (total_document_count) partial["total_document_count"] = *total_document_count;
    if (is_terminal_job_status(status)) partial["completed_at"] = now;
    if (status == job_status::kCanceled) partial["canceled_at"] = now;
    return partial;
  });
  return outcome == UpdateOutcome::kUpdated;
}

bool JobStore::cancel(const std::string& id) {
  auto outcome = store_.update(id, [&](const StoredDoc& doc) -> std::optional<json> {
    std::string status = doc.str("status");
    std::string now = iso_utc_now();
    if (status == job_status::kPending || status == job_status::kSuspended) {
      return json{{"status", job_status::kCanceled}, {"canceled_at", now}, {"completed_at", now},
                  {"last_seen", now}};
    }
    if (status == job_status::kInProgress) {
      return json{{"status", job_status::kCanceling}, {"cancelation_requested_at", now},
                  {"error", nullptr}, {"last_seen", now}};
    }
    return std::nullopt;
  });
  return outcome == UpdateOutcome::kUpdated;
}

}  // namespace connectors::protocol
