#include "service/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <thread>

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

Scheduler::~Scheduler() {
  std::unique_lock lock(pinging_->mutex);
  if (!pinging_->done.wait_for(lock, kPingDrain, [&] { return pinging_->ids.empty(); })) {
    spdlog::warn("{} configuration checks still running at stop; not waiting for them",
                 pinging_->ids.size());
  }
}

void Scheduler::run_once(const std::vector<protocol::Connector>& connectors,
                         std::chrono::system_clock::time_point last_wake,
                         std::chrono::system_clock::time_point this_wake, std::stop_token stop) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < connectors.size() && !stop.stop_requested(); i = next++) {
      const auto& listed = connectors[i];
      const std::string key = listed.id() + " scheduling";
      try {
        serve(listed, last_wake, this_wake, stop);
        if (auto line = succeeded(key))
          spdlog::info("connector {}: scheduling {}", listed.id(), *line);
      } catch (const std::exception& e) {
        if (auto line = failed(key, logging::redact(e.what()))) {
          spdlog::error("connector {}: scheduling failed: {}", listed.id(), *line);
        }
      }
    }
  };
  size_t tasks =
      std::min(connectors.size(),
               static_cast<size_t>(std::max(1, config_.service.max_concurrent_scheduling_tasks)));
  std::vector<std::jthread> workers;
  for (size_t t = 1; t < tasks; ++t) workers.emplace_back(work);
  work();
}

std::optional<std::string> Scheduler::failed(const std::string& key, const std::string& message) {
  std::lock_guard lock(mutex_);
  return repeated_.failed(key, message);
}

std::optional<std::string> Scheduler::succeeded(const std::string& key) {
  std::lock_guard lock(mutex_);
  return repeated_.succeeded(key);
}

void Scheduler::serve(const protocol::Connector& listed,
                      std::chrono::system_clock::time_point last_wake,
                      std::chrono::system_clock::time_point this_wake, std::stop_token stop) {
  heartbeat(listed);
  const auto* source = sources::find_source(listed.service_type());
  if (source == nullptr) {
    std::string problem =
        "service type '" + listed.service_type() + "' is not built into this binary; skipped";
    if (auto line = failed(listed.id() + " service type", problem)) {
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
  if (!check_configuration(*connector, stop)) return;
  for (const auto& type : scheduled_job_types(connector->features(), source->capabilities)) {
    schedule(*connector, type, last_wake, this_wake);
  }
}

void Scheduler::heartbeat(const protocol::Connector& connector) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = last_heartbeat_.find(connector.id());
    bool due = it == last_heartbeat_.end() ||
               now - it->second >= std::chrono::seconds(config_.service.heartbeat_s);
    if (!due) return;
  }
  connectors_.heartbeat(connector.id());
  std::lock_guard lock(mutex_);
  last_heartbeat_[connector.id()] = now;
}

std::optional<std::string> Scheduler::ping(const protocol::Connector& connector,
                                           std::stop_token stop) {
  struct Outcome {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    std::string error;  // empty = the ping passed
  };
  std::shared_ptr<sources::Source> source =
      sources::make_source(connector.service_type(), connector.configuration());
  {
    std::lock_guard lock(pinging_->mutex);
    if (!pinging_->ids.insert(connector.id()).second) {
      spdlog::debug("connector {}: the previous configuration check is still running",
                    connector.id());
      return std::nullopt;
    }
  }
  auto outcome = std::make_shared<Outcome>();
  std::stop_source ping_stop;
  // Detached: a source that ignores the stop token must not hold up the
  // shutdown; the thread owns what it uses and clears the in-flight mark.
  std::thread([pinging = pinging_, id = connector.id(), source, outcome,
               token = ping_stop.get_token()] {
    std::string error;
    try {
      source->ping(token);
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "the configuration check failed";
    }
    {
      std::lock_guard lock(outcome->mutex);
      outcome->error = std::move(error);
      outcome->done = true;
    }
    outcome->done_cv.notify_all();
    std::lock_guard lock(pinging->mutex);
    pinging->ids.erase(id);
    pinging->done.notify_all();
  }).detach();
  std::stop_callback wake(stop, [&] {  // before the lock: it may run at once, here
    ping_stop.request_stop();
    std::lock_guard guard(outcome->mutex);
    outcome->done_cv.notify_all();
  });
  std::unique_lock lock(outcome->mutex);
  outcome->done_cv.wait(lock, [&] { return outcome->done || stop.stop_requested(); });
  if (!outcome->done) return std::nullopt;
  return outcome->error;
}

bool Scheduler::check_configuration(const protocol::Connector& connector, std::stop_token stop) {
  const std::string key = connector.id() + " check";
  std::string error;
  try {
    auto result = ping(connector, stop);
    if (!result) return false;  // stopping, or still checking: no verdict this pass
    error = *result;
  } catch (const std::exception& e) {
    error = e.what();  // the configuration itself is invalid
  }
  if (error.empty()) {
    connectors_.set_status(connector.id(), connector_status::kConnected, "");
    if (auto line = succeeded(key)) {
      spdlog::info("connector {}: configuration check passes, {}", connector.id(), *line);
    }
    return true;
  }
  error = logging::redact(error);
  if (auto line = failed(key, error)) spdlog::error("connector {}: {}", connector.id(), *line);
  connectors_.set_status(connector.id(), connector_status::kError, error);
  return false;
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
  std::string job_id =
      jobs_.create(connector, job_type, "scheduled", config_.service.redact_job_secrets);
  spdlog::info("connector {}: scheduled {} sync {} for the tick at {}", connector.id(), job_type,
               job_id, tick);
}

}  // namespace connectors::service
