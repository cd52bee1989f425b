// Sync-job documents in `.elastic-connectors-sync-jobs`: creation from a
// connector snapshot, the claim (exactly one worker wins), progress, the end
// states and the queries of the execution and cleanup services. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/connectors.h"
#include "protocol/store.h"

namespace connectors::protocol {

struct SyncJob {
  StoredDoc doc;

  const std::string& id() const { return doc.id; }
  std::string status() const { return doc.str("status"); }
  std::string job_type() const { return doc.str("job_type"); }
  std::string connector_id() const;
  std::string index_name() const;
  std::string service_type() const;
  json configuration() const;  // the connector's configuration when the job was made
  json pipeline() const;
};

struct JobCounters {
  long long indexed_document_count = 0;
  long long indexed_document_volume_bytes = 0;  // written as MiB, as the framework does
  long long deleted_document_count = 0;
  // Files whose text could not be had (indexed with their metadata only):
  // metadata.extraction_failures when there are any, beside the job's message.
  long long extraction_failures = 0;
};

class JobStore {
 public:
  explicit JobStore(es::Client& client);

  // A pending job for `connector` with its configuration, filtering and
  // pipeline. The configuration is copied whole, secrets included, as Kibana
  // and the Python framework do (its service runs a job from that copy);
  // `redact_secrets` blanks the sensitive values instead (service.redact_job_secrets).
  std::string create(const Connector& connector, const std::string& job_type,
                     const std::string& trigger_method, bool redact_secrets = false);
  std::optional<SyncJob> get(const std::string& id);

  // pending and suspended jobs of these connectors, oldest first, whatever
  // their job_type: indices made by Kibana or the Python framework 8.x may not
  // map job_type, so the caller matches types on the client.
  std::vector<SyncJob> pending(const std::vector<std::string>& connector_ids);
  // in_progress / canceling jobs of these connectors.
  std::vector<SyncJob> active(const std::vector<std::string>& connector_ids);
  std::vector<SyncJob> of_connector(const std::string& connector_id);
  // in_progress / canceling jobs not seen since `before` (ISO), of these connectors.
  std::vector<SyncJob> idle(const std::vector<std::string>& connector_ids, const std::string& before);
  // in_progress / canceling jobs whose connector is not in `existing_connector_ids`.
  std::vector<SyncJob> orphaned(const std::vector<std::string>& existing_connector_ids);

  // pending/suspended → in_progress, conditional: true for exactly one claimer.
  // `worker_instance` (which process holds it) goes to metadata.worker_instance.
  bool claim(const std::string& id, const std::string& worker_hostname, const json& sync_cursor,
             const json& worker_instance = json(nullptr));
  // pending/suspended → error, for a job this service will never run (a job
  // type it does not know). The protocol's state machine has no such edge; a
  // job left pending forever would be worse.
  bool reject(const std::string& id, const std::string& error);
  void report(const std::string& id, const JobCounters& counters);
  // Ends the job (completed / error / canceled / suspended) with counters and
  // the index's document count; refuses transitions the protocol forbids.
  // Without counters (nullopt) the job keeps those it last reported: the
  // cleanup ends jobs whose runner is gone and knows no better ones.
  bool finish(const std::string& id, const std::string& status, const std::string& error,
              const std::optional<JobCounters>& counters, std::optional<long long> total_document_count);
  // Cancels: pending/suspended → canceled, in_progress → canceling. False if it
  // had already ended.
  bool cancel(const std::string& id);

  Store& store() { return store_; }

 private:
  Store store_;
};

json counters_json(const JobCounters& counters);

// The document of a new pending job (see JobStore::create).
json new_job_document(const Connector& connector, const std::string& job_type,
                      const std::string& trigger_method, bool redact_secrets);

// A job's configuration snapshot with the sensitive values (left out of job
// documents) filled in from the connector's configuration.
json merge_secrets(json job_configuration, const json& connector_configuration);

}  // namespace connectors::protocol
