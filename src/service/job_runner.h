// Runs one sync job end to end, as the Python framework's SyncJobRunner does:
// takes the connector's content-sync lock, claims the job (exactly one worker
// wins), syncs from the job's configuration snapshot while reporting progress
// and watching for cancellation, then records the outcome on the job and the
// connector. One call per job, on its own thread.
#pragma once

#include <stop_token>
#include <string>

#include "config/config.h"
#include "protocol/connectors.h"
#include "protocol/jobs.h"

namespace connectors::service {

struct RunnerContext {
  es::Client& client;
  protocol::ConnectorStore& connectors;
  protocol::JobStore& jobs;
  const config::Config& config;
  std::string hostname;
};

enum class RunOutcome {
  kNotStarted,  // the connector was busy or another worker claimed the job
  kRan,
};

// `service_stop` is the service shutting down: a running job ends suspended.
RunOutcome run_job(RunnerContext& context, const protocol::SyncJob& job, std::stop_token service_stop);

}  // namespace connectors::service
