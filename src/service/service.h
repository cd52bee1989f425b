// The elastic-ingest service: preflight, then three loops on their own
// threads — scheduling (every service.idling), job execution (every
// service.idling, at most max_concurrent_content_syncs content jobs and
// max_concurrent_access_control_syncs access-control jobs at once) and job
// cleanup (every service.job_cleanup_interval, and once at start). run()
// returns after `stop` is requested and every running job has been
// suspended. One Service per process.
#pragma once

#include <stop_token>

#include "config/config.h"

namespace connectors::service {

// Returns the process exit code.
int run_service(const config::Config& config, std::stop_token stop);

}  // namespace connectors::service
