// Connector documents in `.elastic-connectors`: what the service reads from
// them and every write it makes, in the shapes the Python framework 8.x/9.x
// and Kibana use. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/store.h"
#include "sources/configuration.h"
#include "sources/source.h"

namespace connectors::protocol {

struct Connector {
  StoredDoc doc;

  const std::string& id() const { return doc.id; }
  std::string service_type() const { return doc.str("service_type"); }
  std::string index_name() const { return doc.str("index_name"); }
  std::string status() const { return doc.str("status"); }
  std::string last_sync_status() const { return doc.str("last_sync_status"); }
  json configuration() const;
  // The schedule of a job type: its quartz cron, or "" when disabled.
  std::string schedule(const std::string& job_type) const;
  std::string last_scheduled_at(const std::string& job_type) const;
  std::string last_seen() const { return doc.str("last_seen"); }
  json pipeline() const;         // with the framework's defaults filled in
  json active_filtering() const;  // the DEFAULT domain's `active`, or {}
  json features() const;          // {} when absent
  json sync_cursor() const;       // the last completed content job's cursor, or null
};

// The `features` object the framework's service writes for a source.
json source_features(const sources::Capabilities& capabilities);

// The content index's access-control index, as the framework names it.
std::string access_control_index(const std::string& content_index);

// Field name of the "last scheduled at" timestamp of a job type.
const char* scheduled_at_field(const std::string& job_type);

// A new connector document as the `connectors` CLI creates it: status
// configured, default filtering, scheduling (all off) and pipeline, zeros.
json new_connector_document(const std::string& name, const std::string& index_name,
                            const std::string& service_type, const json& configuration,
                            bool is_native = false);

class ConnectorStore {
 public:
  explicit ConnectorStore(es::Client& client);

  std::optional<Connector> get(const std::string& id);
  // Not deleted, with `_id` in `ids`, or `service_type` in `service_types`
  // (worker mode), or native (`is_native: true`) with `service_type` in
  // `native_service_types` (the Python framework 8.x's native mode).
  std::vector<Connector> list(const std::vector<std::string>& ids,
                              const std::vector<std::string>& service_types,
                              const std::vector<std::string>& native_service_types = {});
  std::vector<Connector> all();
  std::string create(const json& document, const std::optional<std::string>& id = std::nullopt);

  void heartbeat(const std::string& id);

  // Publishes `schema` as the connector's configuration: all of it when the
  // configuration is empty (status becomes needs_configuration), else only the
  // missing fields and field properties (values kept). Sets service_type when
  // null. Writes the source's `features` as the framework's service does:
  // replaced when they differ for a connector of config.yml (`own`), only the
  // missing keys added for the others (native / worker-mode connectors).
  UpdateOutcome prepare(const std::string& id, const std::string& service_type,
                        const sources::Schema& schema, const json& features, bool own);

  UpdateOutcome set_status(const std::string& id, const std::string& status, const std::string& error);

  // The scheduler's claim of one schedule tick: writes last_*_scheduled_at =
  // `tick` unless another instance already wrote a time at or after `tick`.
  // True if this instance won the tick.
  bool claim_schedule_tick(const std::string& id, const std::string& job_type, const std::string& tick);

  // The content-sync lock: sets last_sync_status = in_progress (status
  // connected, errors cleared) unless it already is. False if another job holds it.
  bool sync_starts(const std::string& id, const std::string& job_type);
  // Undoes sync_starts when the job could not be claimed after all.
  void release_lock(const std::string& id, const std::string& job_type, const std::string& previous_status);
  // At the end of a job: statuses, errors, counters, last_synced; and, after
  // a completed content job (full or incremental), `sync_cursor` = `cursor`
  // (null for a source without one), as the framework does.
  void sync_done(const std::string& id, const json& job_source, const json& cursor = nullptr);

  Store& store() { return store_; }

 private:
  Store store_;
};

}  // namespace connectors::protocol
