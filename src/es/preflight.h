// Start-up checks of the cluster, as the framework's PreflightCheck:
// 1. wait until Elasticsearch answers GET /, one request per try, the waits
//    between tries growing from elasticsearch.initial_backoff_duration by
//    elasticsearch.backoff_multiplier, for at most elasticsearch.max_wait_duration
//    seconds;
// 2. run the system-index step, up to service.preflight_max_attempts times,
//    service.preflight_idle seconds apart.
// Every try is a single HTTP attempt (the client's own max_retries would
// multiply the waits), every wait is logged, and a stop request ends a wait at
// once (Cancelled).
#pragma once

#include <functional>
#include <stop_token>

#include "config/config.h"
#include "es/client.h"

namespace connectors::es {

// Returns the engine's info. Throws Error naming the host and the settings
// when max_wait_duration passed, the EsError itself for 401/403 (waiting will
// not fix credentials), Cancelled when `stop` is requested.
EngineInfo wait_for_cluster(const Client& client, const config::Config& config,
                            std::stop_token stop = {});

// wait_for_cluster, then `system_indices` called with a client like `client`
// but without retries. Throws Error naming the settings after the last attempt,
// the EsError itself for 401/403, Cancelled when `stop` is requested.
EngineInfo preflight(const Client& client, const config::Config& config, std::stop_token stop,
                     const std::function<void(Client&)>& system_indices);

}  // namespace connectors::es
