// The job cleanup pass, as the framework's JobCleanUpService: jobs still
// in_progress or canceling whose connector is gone, and jobs of our
// connectors not seen for `idle_threshold` (their worker died), end as error;
// the connector's content-sync lock is released. Called from one thread.
#pragma once

#include <chrono>
#include <functional>
#include <vector>

#include "protocol/connectors.h"
#include "protocol/jobs.h"
#include "service/worker_identity.h"

namespace connectors::service {

inline constexpr const char* kIdleJobError = "The job has not seen any update for some time.";

inline constexpr const char* kDeadWorkerError =
    "The service running this job stopped without ending it (the process is gone); a restarted service ended it.";

// Returns the number of jobs it ended.
int clean_up_jobs(protocol::ConnectorStore& connectors, protocol::JobStore& jobs,
                  const std::vector<std::string>& our_connector_ids, std::chrono::seconds idle_threshold);

// Ends, at once, the in_progress / canceling jobs of these connectors held by
// a process of this machine that is gone (a service killed and restarted):
// no waiting for the idle threshold, and the connector's lock is released.
// `running_here` says which jobs this process runs (never judged). Returns the
// number of jobs it ended.
int end_jobs_of_dead_workers(protocol::ConnectorStore& connectors, protocol::JobStore& jobs,
                             const std::vector<std::string>& our_connector_ids, const WorkerIdentity& self,
                             const std::function<bool(const std::string&)>& running_here);

}  // namespace connectors::service
