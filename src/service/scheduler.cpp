#include "service/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/cron.h"
#include "core/errors.h"
#include "core/iso_time.h"
#include "core/logging.h"
#include "protocol/statuses.h"
#include "sources/registry.h"
#include "sync/job_setup.h"

namespace connectors::service {

namespace connector_status = protocol::connector_status;

std::vector<std::string> scheduled_job_types(const nlohmann::json& features,
                                             const sources::Capabilities& capabilities) {
  std::vector<std::string> types;
  if (capabilities.access_control && sync::feature_enabled(features, "document_level_security")) {
    types.push_back(protocol::job_type::kAccessControl);
  }
  if (capabilities.incremental && sync::feature_enabled(features, "incremental_sync")) {
    types.push_back(protocol::job_type::kIncremental);
  }
  types.push_back(protocol::job_type::kFull);
  return types;
}

Scheduler::Scheduler(protocol::ConnectorStore& connectors, protocol::JobStore& jobs,
                     const config::Config& config)
    : connectors_(connectors), jobs_(jobs), config_(config) {}

void Scheduler::run_once(const std::vector<protocol::Connector>& connectors,
                         std::chrono::system_clock::time_point last_wake,
                         std::chrono::system_clock::time_point this_wake) {
  for (const auto& listed : connectors) {
    const std::string key = listed.id() + " scheduling";
    try {
      serve(listed, last_wake, this_wake);
      if (auto line = repeated_.succeeded(key)) {
        spdlog::info("connector {}: scheduling {}", listed.id(), *line);
      }
    } catch (const std::exception& e) {
      if (auto line = repeated_.failed(key, logging::redact(e.what()))) {
        spdlog::error("connector {}: scheduling failed: {}", listed.id(), *line);
      }
    }
  }
}

void Scheduler::serve(const protocol::Connector& listed,
                      std::chrono::system_clock::time_point last_wake,
                      std::chrono::system_clock::time_point this_wake) {
  heartbeat(listed);
  const auto* source = sources::find_source(listed.service_type());
  if (source == nullptr) {
    std::string problem =
        "service type '" + listed.service_type() + "' is not built into this binary; skipped";
    if (auto line = repeated_.failed(listed.id() + " service type", problem)) {
      spdlog::warn("connector {}: {}", listed.id(), *line);
    }
    return;
  }
  bool own = std::any_of(config_.connectors.begin(), config_.connectors.end(),
                         [&](const auto& entry) { return entry.connector_id == listed.id(); });
  connectors_.prepare(listed.id(), source->service_type, source->schema(),
                      protocol::source_features(source->capabilities), own);
  auto connector = connectors_.get(listed.id());
  if (!connector) return;
  std::string status = connector->status();
  if (status == connector_status::kCreated || status == connector_status::kNeedsConfiguration) {
    spdlog::debug("connector {} is {}: waiting for its configuration", connector->id(), status);
    return;
  }
  if (!check_configuration(*connector)) return;
  for (const auto& type : scheduled_job_types(connector->features(), source->capabilities)) {
    schedule(*connector, type, last_wake, this_wake);
  }
}

void Scheduler::heartbeat(const protocol::Connector& connector) {
  auto now = std::chrono::steady_clock::now();
  auto it = last_heartbeat_.find(connector.id());
  bool due = it == last_heartbeat_.end() ||
             now - it->second >= std::chrono::seconds(config_.service.heartbeat_s);
  if (!due) return;
  connectors_.heartbeat(connector.id());
  last_heartbeat_[connector.id()] = now;
}

bool Scheduler::check_configuration(const protocol::Connector& connector) {
  const std::string key = connector.id() + " check";
  try {
    auto source = sources::make_source(connector.service_type(), connector.configuration());
    source->ping({});
    connectors_.set_status(connector.id(), connector_status::kConnected, "");
    if (auto line = repeated_.succeeded(key)) {
      spdlog::info("connector {}: configuration check passes, {}", connector.id(), *line);
    }
    return true;
  } catch (const std::exception& e) {
    std::string error = logging::redact(e.what());
    if (auto line = repeated_.failed(key, error))
      spdlog::error("connector {}: {}", connector.id(), *line);
    connectors_.set_status(connector.id(), connector_status::kError, error);
    return false;
  }
}

void Scheduler::schedule(const protocol::Connector& connector, const std::string& job_type,
                         std::chrono::system_clock::time_point last_wake,
                         std::chrono::system_clock::time_point this_wake) {
  std::string interval = connector.schedule(job_type);
  if (interval.empty()) return;
  CronSchedule cron = CronSchedule::parse(interval);
  // The first tick after the previous pass: compared with last_wake, not now,
  // so that a tick between two passes is neither missed nor doubled.
  auto next = cron.next_after(last_wake);
  if (!next || *next > this_wake) return;
  std::string tick = iso_utc(*next);
  if (!connectors_.claim_schedule_tick(connector.id(), job_type, tick)) return;
  std::string job_id = jobs_.create(connector, job_type, "scheduled", config_.service.redact_job_secrets);
  spdlog::info("connector {}: scheduled {} sync {} for the tick at {}", connector.id(), job_type, job_id, tick);
}

}  // namespace connectors::service
