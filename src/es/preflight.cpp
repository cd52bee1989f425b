#include "es/preflight.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace connectors::es {

EngineInfo wait_for_cluster(Client& client, const config::Config& config, std::stop_token stop) {
  using clock = std::chrono::steady_clock;
  const auto& es = config.elasticsearch;
  auto deadline = clock::now() + std::chrono::seconds(es.max_wait_duration_s);
  double backoff_s = es.initial_backoff_duration_s;
  for (;;) {
    try {
      return client.info(stop);
    } catch (const EsError& e) {
      if (e.status() == 401 || e.status() == 403) throw;  // waiting will not fix credentials
      if (clock::now() >= deadline) throw;
      spdlog::warn("Elasticsearch at {} is not ready ({}); next check in {:.1f} s", es.host,
                   e.what(), backoff_s);
    }
    if (!sleep_for(std::chrono::milliseconds(static_cast<long long>(backoff_s * 1000)), stop)) {
      throw Cancelled();
    }
    backoff_s *= es.backoff_multiplier;
  }
}

}  // namespace connectors::es
