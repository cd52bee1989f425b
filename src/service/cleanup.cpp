#include "service/cleanup.h"

#include <spdlog/spdlog.h>

#include "core/iso_time.h"
#include "protocol/statuses.h"

namespace connectors::service {

namespace job_status = protocol::job_status;
using protocol::json;

int clean_up_jobs(protocol::ConnectorStore& connectors, protocol::JobStore& jobs,
                  const std::vector<std::string>& our_connector_ids, std::chrono::seconds idle_threshold) {
  int ended = 0;
  std::vector<std::string> all_ids;
  for (const auto& c : connectors.all()) all_ids.push_back(c.id());
  for (const auto& job : jobs.orphaned(all_ids)) {
    if (jobs.finish(job.id(), job_status::kError, kIdleJobError, std::nullopt, std::nullopt)) {
      spdlog::warn("job {} of deleted connector {} ended as error", job.id(), job.connector_id());
      ++ended;
    }
  }
  std::string before = iso_utc(std::chrono::system_clock::now() - idle_threshold);
  for (const auto& job : jobs.idle(our_connector_ids, before)) {
    if (!jobs.finish(job.id(), job_status::kError, kIdleJobError, std::nullopt, std::nullopt)) continue;
    spdlog::warn("job {} of connector {} was idle since {}; ended as error", job.id(),
                 job.connector_id(), job.doc.str("last_seen"));
    ++ended;
    if (auto reloaded = jobs.get(job.id())) connectors.sync_done(job.connector_id(), reloaded->doc.source);
  }
  return ended;
}

int end_jobs_of_dead_workers(protocol::ConnectorStore& connectors, protocol::JobStore& jobs,
                             const std::vector<std::string>& our_connector_ids, const WorkerIdentity& self,
                             const std::function<bool(const std::string&)>& running_here) {
  int ended = 0;
  for (const auto& job : jobs.active(our_connector_ids)) {
    if (running_here(job.id())) continue;
    json metadata = job.doc.source.value("metadata", json::object());
    auto holder = WorkerIdentity::from_json(metadata.is_object() ? metadata.value("worker_instance", json(nullptr))
                                                                 : json(nullptr));
    if (!holder || !is_dead_local_worker(*holder, self)) continue;
    if (!jobs.finish(job.id(), job_status::kError, kDeadWorkerError, std::nullopt, std::nullopt)) continue;
    spdlog::warn("job {} of connector {} was held by process {} of this machine, which is gone; ended as error",
                 job.id(), job.connector_id(), holder->pid);
    ++ended;
    if (auto reloaded = jobs.get(job.id())) connectors.sync_done(job.connector_id(), reloaded->doc.source);
  }
  return ended;
}

}  // namespace connectors::service
