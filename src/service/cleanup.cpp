#include "service/cleanup.h"

#include <spdlog/spdlog.h>

#include "core/iso_time.h"
#include "protocol/statuses.h"

namespace connectors::service {

namespace job_status = protocol::job_status;

int clean_up_jobs(protocol::ConnectorStore& connectors, protocol::JobStore& jobs,
                  const std::vector<std::string>& our_connector_ids, std::chrono::seconds idle_threshold) {
  int ended = 0;
  std::vector<std::string> all_ids;
  for (const auto& c : connectors.all()) all_ids.push_back(c.id());
  for (const auto& job : jobs.orphaned(all_ids)) {
    if (jobs.finish(job.id(), job_status::kError, kIdleJobError, {}, std::nullopt)) {
      spdlog::warn("job {} of deleted connector {} ended as error", job.id(), job.connector_id());
      ++ended;
    }
  }
  std::string before = iso_utc(std::chrono::system_clock::now() - idle_threshold);
  for (const auto& job : jobs.idle(our_connector_ids, before)) {
    protocol::JobCounters counters{job.doc.source.value("indexed_document_count", 0LL), 0,
                                   job.doc.source.value("deleted_document_count", 0LL)};
    if (!jobs.finish(job.id(), job_status::kError, kIdleJobError, counters, std::nullopt)) continue;
    spdlog::warn("job {} of connector {} was idle since {}; ended as error", job.id(),
                 job.connector_id(), job.doc.str("last_seen"));
    ++ended;
    if (auto reloaded = jobs.get(job.id())) connectors.sync_done(job.connector_id(), reloaded->doc.source);
  }
  return ended;
}

}  // namespace connectors::service
