#include "protocol/connectors.h"

#include "core/iso_time.h"
#include "protocol/indices.h"
#include "protocol/statuses.h"

namespace connectors::protocol {
namespace {

bool is_access_control(const std::string& job_type) { return job_type == job_type::kAccessControl; }

const char* status_field(const std::string& job_type) {
  return is_access_control(job_type) ? "last_access_control_sync_status" : "last_sync_status";
}

const char* error_field(const std::string& job_type) {
  return is_access_control(job_type) ? "last_access_control_sync_error" : "last_sync_error";
}

json default_filtering_state(const std::string& now) {
  return {{"rules", json::array({{{"id", "DEFAULT"},
                                  {"policy", "include"},
                                  {"field", "_"},
                                  {"rule", "regex"},
                                  {"value", ".*"},
                                  {"order", 0},
                                  {"created_at", now},
                                  {"updated_at", now}}})},
          {"advanced_snippet", {{"value", json::object()}, {"created_at", now}, {"updated_at", now}}},
          {"validation", {{"state", "valid"}, {"errors", json::array()}}}};
}

}  // namespace

json Connector::configuration() const {
  auto it = doc.source.find("configuration");
  return it != doc.source.end() && it->is_object() ? *it : json::object();
}

std::string Connector::schedule(const std::string& job_type) const {
  const json& s = doc.source.value("scheduling", json::object());
  if (!s.is_object() || !s.contains(job_type) || !s[job_type].is_object()) return "";
  const json& entry = s[job_type];
  if (!entry.value("enabled", false)) return "";
  return entry.value("interval", "");
}

std::string Connector::last_scheduled_at(const std::string& job_type) const {
  return doc.str(scheduled_at_field(job_type));
}

json Connector::pipeline() const {
  json out = {{"name", "ent-search-generic-ingestion"},
              {"extract_binary_content", true},
              {"reduce_whitespace", true},
              {"run_ml_inference", true}};
  auto it = doc.source.find("pipeline");
  if (it != doc.source.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      if (!value.is_null()) out[key] = value;
    }
  }
  return out;
}

json Connector::active_filtering() const {
  auto it = doc.source.find("filtering");
  if (it == doc.source.end() || !it->is_array()) return json::object();
  for (const auto& entry : *it) {
    if (entry.is_object() && entry.value("domain", "DEFAULT") == "DEFAULT" && entry.contains("active")) {
      json active = entry["active"];
      active["domain"] = "DEFAULT";
      return active;
    }
  }
  return json::object();
}

json Connector::features() const {
  auto it = doc.source.find("features");
  return it != doc.source.end() && it->is_object() ? *it : json::object();
}

json Connector::sync_cursor() const { return doc.source.value("sync_cursor", json(nullptr)); }

json source_features(const sources::Capabilities& capabilities) {
  auto flag = [](bool on) { return json{{"enabled", on}}; };
  return {{"sync_rules", {{"basic", flag(true)}, {"advanced", flag(capabilities.advanced_rules)}}},
          {"document_level_security", flag(capabilities.access_control)},
          {"incremental_sync", flag(capabilities.incremental)},
          {"native_connector_api_keys", flag(false)}};
}

std::string access_control_index(const std::string& content_index) {
  return ".search-acl-filter-" + content_index;
}

const char* scheduled_at_field(const std::string& job_type) {
  if (job_type == job_type::kIncremental) return "last_incremental_sync_scheduled_at";
  if (job_type == job_type::kAccessControl) return "last_access_control_sync_scheduled_at";
  return "last_sync_scheduled_at";
}

json new_connector_document(const std::string& name, const std::string& index_name,
                            const std::string& service_type, const json& configuration,
                            bool is_native) {
  std::string now = iso_utc_now();
  json off = {{"enabled", false}, {"interval", "0 0 0 * * ?"}};
  return {{"api_key_id", nullptr},
          {"configuration", configuration},
          {"custom_scheduling", json::object()},
          {"description", nullptr},
          {"error", nullptr},
          {"features", source_features({})},
          {"filtering", json::array({{{"domain", "DEFAULT"},
                                      {"active", default_filtering_state(now)},
                                      {"draft", default_filtering_state(now)}}})},
          {"index_name", index_name},
          {"is_native", is_native},
          {"language", nullptr},
          {"last_access_control_sync_error", nullptr},
          {"last_access_control_sync_scheduled_at", nullptr},
          {"last_access_control_sync_status", nullptr},
          {"last_deleted_document_count", 0},
          {"last_incremental_sync_scheduled_at", nullptr},
          {"last_indexed_document_count", 0},
          {"last_seen", nullptr},
          {"last_sync_error", nullptr},
          {"last_sync_scheduled_at", nullptr},
          {"last_sync_status", nullptr},
          {"last_synced", nullptr},
          {"name", name},
          {"pipeline",
           {{"extract_binary_content", true},
            {"name", "ent-search-generic-ingestion"},
            {"reduce_whitespace", true},
            {"run_ml_inference", true}}},
          {"scheduling", {{"access_control", off}, {"incremental", off}, {"full", off}}},
          {"service_type", service_type},
          {"status", connector_status::kConfigured},
          {"sync_cursor", nullptr},
          {"sync_now", false}};
}

ConnectorStore::ConnectorStore(es::Client& client) : store_(client, kConnectorsIndex) {}

std::optional<Connector> ConnectorStore::get(const std::string& id) {
  auto doc = store_.get(id);
  if (!doc) return std::nullopt;
  return Connector{std::move(*doc)};
}

std::vector<Connector> ConnectorStore::list(const std::vector<std::string>& ids,
                                            const std::vector<std::string>& service_types,
                                            const std::vector<std::string>& native_service_types) {
  json should = json::array();
  if (!ids.empty()) should.push_back({{"ids", {{"values", ids}}}});
  if (!service_types.empty()) should.push_back({{"terms", {{"service_type", service_types}}}});
  if (!native_service_types.empty()) {
    should.push_back({{"bool",
                       {{"filter", json::array({{{"term", {{"is_native", true}}}},
                                                {{"terms", {{"service_type", native_service_types}}}}})}}}});
  }
  if (should.empty()) return {};
  json query = {{"bool",
                 {{"should", should},
                  {"minimum_should_match", 1},
                  {"must_not", json::array({{{"term", {{"deleted", true}}}}})}}}};
  std::vector<Connector> out;
  for (auto& doc : store_.search(query)) out.push_back({std::move(doc)});
  return out;
}

std::vector<Connector> ConnectorStore::all() {
  std::vector<Connector> out;
  for (auto& doc : store_.search({{"match_all", json::object()}})) out.push_back({std::move(doc)});
  return out;
}

std::string ConnectorStore::create(const json& document, const std::optional<std::string>& id) {
  return store_.create(document, id);
}

void ConnectorStore::heartbeat(const std::string& id) { store_.patch(id, {{"last_seen", iso_utc_now()}}); }

UpdateOutcome ConnectorStore::prepare(const std::string& id, const std::string& service_type,
                                      const sources::Schema& schema, const json& features, bool own) {
  json published = sources::schema_to_json(schema);
  return store_.update(id, [&](const StoredDoc& doc) -> std::optional<json> {
    json partial = json::object();
    if (doc.str("service_type").empty()) partial["service_type"] = service_type;
    json current_features = doc.source.value("features", json(nullptr));
    if (own) {
      if (current_features != features) partial["features"] = features;
    } else {
      // What the connector has wins; the keys it lacks come from the source.
      json with_defaults = features;
      if (current_features.is_object()) with_defaults.merge_patch(current_features);
      if (with_defaults != current_features) partial["features"] = with_defaults;
    }
    json current = doc.source.value("configuration", json::object());
    if (!current.is_object() || current.empty()) {
      partial["configuration"] = published;
      partial["status"] = connector_status::kNeedsConfiguration;
      return partial;
    }
    bool changed = false;
    for (const auto& [key, field] : published.items()) {
      if (!current.contains(key) || !current[key].is_object()) {
        current[key] = field;  // a field this source has and the connector lacks
        changed = true;
        continue;
      }
      for (const auto& [property, value] : field.items()) {
        if (!current[key].contains(property)) {
          current[key][property] = value;
          changed = true;
        }
      }
    }
    if (changed) partial["configuration"] = current;
    if (partial.empty()) return std::nullopt;
    return partial;
  });
}

UpdateOutcome ConnectorStore::set_status(const std::string& id, const std::string& status,
                                         const std::string& error) {
  return store_.update(id, [&](const StoredDoc& doc) -> std::optional<json> {
    json error_value = error.empty() ? json(nullptr) : json(error);
    if (doc.str("status") == status && doc.source.value("error", json(nullptr)) == error_value) {
      return std::nullopt;  // nothing to write: keep the poll cheap
    }
    return json{{"status", status}, {"error", error_value}};
  });
}

bool ConnectorStore::claim_schedule_tick(const std::string& id, const std::string& job_type,
                                         const std::string& tick) {
  const char* field = scheduled_at_field(job_type);
  auto outcome = store_.update(id, [&](const StoredDoc& doc) -> std::optional<json> {
    std::string previous = doc.str(field);
    auto previous_ms = parse_iso_millis(previous);
    auto tick_ms = parse_iso_millis(tick);
    if (previous_ms && tick_ms && *previous_ms >= *tick_ms) return std::nullopt;  // taken
    return json{{field, tick}};
  });
  return outcome == UpdateOutcome::kUpdated;
}

bool ConnectorStore::sync_starts(const std::string& id, const std::string& job_type) {
  const char* field = status_field(job_type);
  auto outcome = store_.update(id, [&](const StoredDoc& doc) -> std::optional<json> {
    if (doc.str(field) == job_status::kInProgress) return std::nullopt;
    return json{{"status", connector_status::kConnected},
                {"error", nullptr},
                {field, job_status::kInProgress},
                {error_field(job_type), nullptr}};
  });
  return outcome == UpdateOutcome::kUpdated;
}

void ConnectorStore::release_lock(const std::string& id, const std::string& job_type,
                                  const std::string& previous_status) {
  const char* field = status_field(job_type);
  store_.update(id, [&](const StoredDoc& doc) -> std::optional<json> {
    if (doc.str(field) != job_status::kInProgress) return std::nullopt;
    return json{{field, previous_status.empty() ? json(nullptr) : json(previous_status)}};
  });
}

void ConnectorStore::sync_done(const std::string& id, const json& job, const json& cursor) {
  std::string job_type = job.value("job_type", job_type::kFull);
  std::string status = job.value("status", job_status::kError);
  json error = job.value("error", json(nullptr));
  if (status == job_status::kError && (error.is_null() || error == "")) error = "unknown error";
  json partial = {{status_field(job_type), status},
                  {error_field(job_type), error},
                  {"last_synced", iso_utc_now()},
                  {"status", status == job_status::kError ? connector_status::kError
                                                           : connector_status::kConnected},
                  {"error", error}};
  if (is_terminal_job_status(status) && !is_access_control(job_type)) {
    partial["last_indexed_document_count"] = job.value("indexed_document_count", 0);
    partial["last_deleted_document_count"] = job.value("deleted_document_count", 0);
  }
  if (status == job_status::kCompleted && !is_access_control(job_type))
    partial["sync_cursor"] = cursor;
  store_.update(id, [&](const StoredDoc&) -> std::optional<json> { return partial; });
}

}  // namespace connectors::protocol
