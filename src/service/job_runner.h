// Runs one sync job end to end, as the Python framework's SyncJobRunner does:
// takes the connector's content-sync lock, claims the job (exactly one worker
// wins), syncs from the job's configuration snapshot while reporting progress
// and watching for cancellation, then records the outcome on the job and the
// connector. One call per job, on its own thread.
#pragma once

#include <stop_token>
#include <string>
#include <vector>

#include "config/config.h"
#include "protocol/connectors.h"
#include "protocol/jobs.h"
#include "service/worker_identity.h"

namespace connectors::service {

struct RunnerContext {
  es::Client& client;
  protocol::ConnectorStore& connectors;
  protocol::JobStore& jobs;
  const config::Config& config;
  std::string hostname;
  WorkerIdentity worker;  // written into each job it claims
};

// Why a job of this type cannot run for a connector of `service_type` (a type
// that is not full / incremental / access_control, or one its source has no
// capability for), naming the type; "" when it can run. Such jobs end error.
std::string unrunnable_job_message(const std::string& job_type, const std::string& service_type);

// The text a job's `error` carries when the sync completed but the source left
// things out (SyncResult::warnings), or "" when it left nothing out.
std::string warnings_summary(const std::vector<std::string>& warnings, long long total);

enum class RunOutcome {
  kNotStarted,  // the connector was busy or another worker claimed the job
  kRan,
};

// `service_stop` is the service shutting down: a running job ends suspended.
RunOutcome run_job(RunnerContext& context, const protocol::SyncJob& job, std::stop_token service_stop);

}  // namespace connectors::service
