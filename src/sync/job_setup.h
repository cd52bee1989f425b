// One sync job, built in one place for both `connectors sync` and the
// service's job runner: the SyncOptions (index, ingest pipeline and its three
// flags, basic rules, bulk options, id cache) from the connector's objects
// with the framework's defaults, the advanced rules and the document-level
// security flag handed to the source's capabilities, and the run of the job's
// type (full, incremental or access_control).
#pragma once

#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>

#include "config/config.h"
#include "sync/full_sync.h"

namespace connectors::sync {

// What a job is made of, in the connector document's own shapes.
struct JobSpec {
  std::string job_type = "full";  // full | incremental | access_control
  std::string service_type;       // for messages
  std::string index;              // where it writes (an access_control job: the ACL index)
  // The connector's `pipeline` ({name, extract_binary_content, reduce_whitespace,
  // run_ml_inference}); a missing or null key takes the framework's default
  // (ent-search-generic-ingestion, true, true, true). An empty name: no pipeline.
  nlohmann::json pipeline = nlohmann::json::object();
  // The active filtering ({rules, advanced_snippet, validation}); {} = none.
  nlohmann::json filtering = nlohmann::json::object();
  nlohmann::json features = nlohmann::json::object();  // the connector's `features`
  nlohmann::json sync_cursor;                          // the connector's, for an incremental job
  // The connector's configuration values ({key: value}), for the fields the
  // engine reads itself (concurrent_downloads).
  nlohmann::json configuration = nlohmann::json::object();
};

// features.<name>.enabled, as the framework's Features reads it.
bool feature_enabled(const nlohmann::json& features, const std::string& name);

// The options of the job, and the source made ready for it. Throws
// ConfigError naming what is wrong: filtering that is not valid, advanced
// rules the source has no capability for, a job type it does not have.
SyncOptions job_sync_options(const config::Config& config, const JobSpec& spec,
                             sources::Source& source);

// Runs the job's type with those options. After a completed content job, the
// cursor to save is source.incremental()->sync_cursor().
SyncResult run_sync_job(const es::ClientOptions& client_options, sources::Source& source,
                        const JobSpec& spec, const SyncOptions& options, std::stop_token stop = {});

}  // namespace connectors::sync
