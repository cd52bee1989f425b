// Start-up check of the cluster: waits until Elasticsearch answers GET /, with
// backoff from config (initial_backoff_duration, backoff_multiplier) for at
// most elasticsearch.max_wait_duration seconds.
#pragma once

#include <stop_token>

#include "config/config.h"
#include "es/client.h"

namespace connectors::es {

// Returns the engine's info, or throws EsError after max_wait_duration.
EngineInfo wait_for_cluster(Client& client, const config::Config& config, std::stop_token stop = {});

}  // namespace connectors::es
