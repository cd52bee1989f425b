// The job cleanup pass, as the framework's JobCleanUpService: jobs still
// in_progress or canceling whose connector is gone, and jobs of our
// connectors not seen for `idle_threshold` (their worker died), end as error;
// the connector's content-sync lock is released. Called from one thread.
#pragma once

#include <chrono>
#include <vector>

#include "protocol/connectors.h"
#include "protocol/jobs.h"

namespace connectors::service {

inline constexpr const char* kIdleJobError = "The job has not seen any update for some time.";

// Returns the number of jobs it ended.
int clean_up_jobs(protocol::ConnectorStore& connectors, protocol::JobStore& jobs,
                  const std::vector<std::string>& our_connector_ids, std::chrono::seconds idle_threshold);

}  // namespace connectors::service
