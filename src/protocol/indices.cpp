#include "protocol/indices.h"

#include <spdlog/spdlog.h>

namespace connectors::protocol {
namespace {

using es::json;

json kw() { return {{"type", "keyword"}}; }
json date() { return {{"type", "date"}}; }
json boolean() { return {{"type", "boolean"}}; }
json number(const char* type = "long") { return {{"type", type}}; }
json object() { return {{"type", "object"}, {"enabled", false}}; }

json filtering_rules() {
  return {{"properties",
           {{"id", kw()}, {"policy", kw()}, {"field", kw()}, {"rule", kw()}, {"value", kw()},
            {"order", number("short")}, {"created_at", date()}, {"updated_at", date()}}}};
}

json filtering_state() {
  return {{"properties",
           {{"rules", filtering_rules()},
            {"advanced_snippet",
             {{"properties", {{"value", object()}, {"created_at", date()}, {"updated_at", date()}}}}},
            {"validation",
             {{"properties",
               {{"state", kw()},
                {"errors", {{"properties", {{"ids", kw()}, {"messages", {{"type", "text"}}}}}}}}}}}}}};
}

json pipeline() {
  return {{"properties",
           {{"extract_binary_content", boolean()}, {"name", kw()}, {"reduce_whitespace", boolean()},
            {"run_ml_inference", boolean()}}}};
}

json feature_flag() { return {{"properties", {{"enabled", boolean()}}}}; }

json schedule() { return {{"properties", {{"enabled", boolean()}, {"interval", {{"type", "text"}}}}}}; }

void create_if_missing(es::Client& client, const std::string& alias, const std::string& concrete,
                       const json& mappings) {
  if (client.index_exists(alias) || client.index_exists(concrete)) return;
  json body = {{"settings", {{"index", {{"number_of_shards", 1}, {"auto_expand_replicas", "0-1"}}}}},
               {"mappings", mappings},
               {"aliases", {{alias, json::object()}}}};
  try {
    client.create_index(concrete, body);
    spdlog::info("created {} (alias {})", concrete, alias);
  } catch (const es::EsError& e) {
    if (e.type() != "resource_already_exists_exception") throw;  // another instance was first
  }
}

}  // namespace

json connectors_mappings() {
  return {
      {"_meta",
       {{"version", 1},
        {"pipeline",
         {{"default_name", "ent-search-generic-ingestion"},
          {"default_extract_binary_content", true},
          {"default_reduce_whitespace", true},
          {"default_run_ml_inference", true}}}}},
      {"dynamic", false},
      {"properties",
       {{"api_key_id", kw()},
        {"api_key_secret_id", kw()},
        {"configuration", object()},
        {"custom_scheduling", object()},
        {"deleted", boolean()},
        {"description", {{"type", "text"}}},
        {"error", kw()},
        {"features",
         {{"properties",
           {{"filtering_advanced_config", boolean()},
            {"filtering_rules", boolean()},
            {"incremental_sync", feature_flag()},
            {"document_level_security", feature_flag()},
            {"native_connector_api_keys", feature_flag()},
            {"sync_rules",
             {{"properties", {{"basic", feature_flag()}, {"advanced", feature_flag()}}}}}}}}},
        {"filtering",
         {{"properties", {{"domain", kw()}, {"active", filtering_state()}, {"draft", filtering_state()}}}}},
        {"index_name", kw()},
        {"is_native", boolean()},
        {"language", kw()},
        {"last_access_control_sync_error", kw()},
        {"last_access_control_sync_scheduled_at", date()},
        {"last_access_control_sync_status", kw()},
        {"last_deleted_document_count", number()},
        {"last_incremental_sync_scheduled_at", date()},
        {"last_indexed_document_count", number()},
        {"last_seen", date()},
        {"last_sync_error", kw()},
        {"last_sync_scheduled_at", date()},
        {"last_sync_status", kw()},
        {"last_synced", date()},
        {"name", kw()},
        {"pipeline", pipeline()},
        {"scheduling",
         {{"properties",
           {{"access_control", schedule()}, {"incremental", schedule()}, {"full", schedule()}}}}},
        {"service_type", kw()},
        {"status", kw()},
        {"sync_cursor", object()},
        {"sync_now", boolean()}}}};
}

json jobs_mappings() {
  json filtering = filtering_state();
  filtering["properties"]["domain"] = kw();
  filtering["properties"]["warnings"] = {
      {"properties", {{"ids", kw()}, {"messages", {{"type", "text"}}}}}};
  return {
      {"_meta", {{"version", 1}}},
      {"dynamic", false},
      {"properties",
       {{"cancelation_requested_at", date()},
        {"canceled_at", date()},
        {"completed_at", date()},
        {"connector",
         {{"properties",
           {{"configuration", object()},
            {"filtering", filtering},
            {"id", kw()},
            {"index_name", kw()},
            {"language", kw()},
            {"pipeline", pipeline()},
            {"service_type", kw()},
            {"sync_cursor", object()}}}}},
        {"created_at", date()},
        {"deleted_document_count", number("integer")},
        {"error", kw()},
        {"indexed_document_count", number("integer")},
        {"indexed_document_volume", number("integer")},
        {"job_type", kw()},
        {"last_seen", date()},
        {"metadata", object()},
        {"started_at", date()},
        {"status", kw()},
        {"total_document_count", number("integer")},
        {"trigger_method", kw()},
        {"worker_hostname", kw()}}}};
}

void ensure_system_indices(es::Client& client) {
  create_if_missing(client, kConnectorsIndex, kConnectorsConcrete, connectors_mappings());
  create_if_missing(client, kJobsIndex, kJobsConcrete, jobs_mappings());
}

namespace {

const json* properties_of(const json& mappings) {
  if (!mappings.is_object()) return nullptr;
  auto properties = mappings.find("properties");
  return properties == mappings.end() ? nullptr : &*properties;
}

bool is_mapped(const json* properties, const std::string& dotted) {
  const json* at = properties;
  size_t start = 0;
  while (at != nullptr) {
    size_t dot = dotted.find('.', start);
    std::string name = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    auto field = at->find(name);
    if (field == at->end()) return false;
    if (dot == std::string::npos) return true;
    auto sub = field->find("properties");
    at = sub == field->end() ? nullptr : &*sub;
    start = dot + 1;
  }
  return false;
}

struct Needed {
  const char* index;
  const char* field;
  const char* instead;
};

// What the service queries or sorts on, and what it does when it is not mapped.
constexpr Needed kNeeded[] = {
    {kJobsIndex, "job_type", "job types are matched on the client"},
    {kJobsIndex, "status", "no job can be found: the index must be re-created"},
    {kJobsIndex, "connector.id", "no job can be found: the index must be re-created"},
    {kJobsIndex, "created_at", "jobs are not run oldest first"},
    {kJobsIndex, "last_seen", "idle jobs are not detected"},
    {kConnectorsIndex, "service_type", "worker mode and native_service_types find no connector"},
    {kConnectorsIndex, "is_native", "native_service_types finds no connector"},
};

}  // namespace

std::vector<std::string> missing_system_fields(const json& connectors_mapping, const json& jobs_mapping) {
  // Each is the `mappings` object of the index (es::Client::get_mapping).
  std::vector<std::string> out;
  const json* connectors = properties_of(connectors_mapping);
  const json* jobs = properties_of(jobs_mapping);
  for (const auto& need : kNeeded) {
    const json* properties = std::string(need.index) == kJobsIndex ? jobs : connectors;
    if (!is_mapped(properties, need.field)) {
      out.push_back(std::string(need.index) + ": " + need.field + " (" + need.instead + ")");
    }
  }
  return out;
}

void check_system_indices(es::Client& client) {
  try {
    for (const auto& missing : missing_system_fields(client.get_mapping(kConnectorsIndex), client.get_mapping(kJobsIndex))) {
      spdlog::warn("system index does not map {}; it was created by another tool (Kibana or the Python framework 8.x)",
                   missing);
    }
  } catch (const es::EsError& e) {
    spdlog::warn("could not read the mappings of the system indices: {}", e.what());
  }
}

}  // namespace connectors::protocol
