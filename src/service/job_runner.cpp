#include "service/job_runner.h"

#include <spdlog/spdlog.h>

#include "core/errors.h"
#include "core/logging.h"
#include "protocol/statuses.h"
#include "sources/registry.h"
#include "sync/job_setup.h"

namespace connectors::service {
namespace {

using protocol::json;
namespace job_status = protocol::job_status;

// Progress (and the job's last_seen) is written every 10 s, the framework's
// JOB_REPORTING_INTERVAL — or more often when the idle threshold is short, so
// that a live job is never taken for a dead one.
int report_every_seconds(const config::Config& config) {
  return std::max(1, std::min(10, config.service.idle_job_threshold_s / 3));
}

// How often the runner reads its job document (cancellation, deletion).
constexpr int kWatchMillis = 250;

// Why a job stopped before its sync ended.
enum class StopReason { kNone, kCanceled, kSuspended, kGone };

protocol::JobCounters counters_of(const sync::SyncCounters& c) {
  return {c.indexed_document_count.load(), c.indexed_document_volume.load(),
          c.deleted_document_count.load(), c.extraction_failures.load()};
}

protocol::JobCounters counters_of(const sync::SyncResult& r) {
  return {r.indexed_document_count, r.indexed_document_volume, r.deleted_document_count,
          r.extraction_failures};
}

es::ClientOptions content_client_options(const config::Config& config, const std::string& connector_id) {
  auto options = es::client_options_from(config.elasticsearch);
  for (const auto& entry : config.connectors) {
    // A connector's own API key is used for its content index, as in the framework.
    if (entry.connector_id == connector_id && !entry.api_key.empty()) options.transport.api_key = entry.api_key;
  }
  return options;
}

// The job as the shared wiring takes it: the job's snapshot (index, pipeline,
// filtering) and the connector's live features and cursor, as the framework's
// runner reads them.
sync::JobSpec job_spec(const protocol::SyncJob& job, const protocol::Connector& connector) {
  sync::JobSpec spec;
  spec.job_type = job.job_type();
  spec.service_type = job.service_type();
  spec.index = job.index_name();
  spec.pipeline = job.pipeline();
  spec.configuration = job.configuration();
  json filtering = job.doc.source.value("connector", json::object()).value("filtering", json::object());
  if (filtering.is_array()) filtering = filtering.empty() ? json::object() : filtering[0].value("active", json::object());
  spec.filtering = filtering;
  spec.features = connector.features();
  spec.sync_cursor = connector.sync_cursor();
  return spec;
}

// The job's `error` is a keyword: keep it well under Lucene's 32 KiB term limit.
constexpr size_t kMaxErrorBytes = 8192;

std::string clip(std::string text) {
  if (text.size() <= kMaxErrorBytes) return text;
  size_t cut = kMaxErrorBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
  text.resize(cut);
  return text + " …";
}

std::optional<long long> index_count(es::Client& client, const std::string& index) {
  try {
    if (!client.index_exists(index)) return std::nullopt;
    client.refresh(index);
    return client.count(index);
  } catch (const std::exception& e) {
    spdlog::warn("could not count {}: {}", index, e.what());
    return std::nullopt;
  }
}

}  // namespace

std::string unrunnable_job_message(const std::string& job_type, const std::string& service_type) {
  using namespace protocol::job_type;
  if (job_type.empty()) {
    return "The job has no job_type; this service runs 'full', 'incremental' and 'access_control' "
           "syncs";
  }
  if (job_type != kFull && job_type != kIncremental && job_type != kAccessControl) {
    return "Unknown job type '" + job_type +
           "'; this service runs 'full', 'incremental' and 'access_control' syncs";
  }
  const auto* source = sources::find_source(service_type);
  if (source == nullptr) return "";  // the runner ends it naming the unknown service type
  std::string connector = service_type.empty() ? "this" : "the " + service_type;
  if (job_type == kIncremental && !source->capabilities.incremental) {
    return "Job type 'incremental' is not supported by " + connector +
           " connector (its source has no incremental sync)";
  }
  if (job_type == kAccessControl && !source->capabilities.access_control) {
    return "Job type 'access_control' is not supported by " + connector +
           " connector (it has no document-level security)";
  }
  return "";
}

std::string warnings_summary(const std::vector<std::string>& warnings, long long total) {
  if (total <= 0) return "";
  std::string text = "Completed, but the source left out " + std::to_string(total) +
                     (total == 1 ? " item: " : " items: ");
  for (size_t i = 0; i < warnings.size(); ++i) text += (i ? "; " : "") + warnings[i];
  if (total > static_cast<long long>(warnings.size())) {
    text += "; and " + std::to_string(total - static_cast<long long>(warnings.size())) + " more (see the service log)";
  }
  return clip(text);
}

RunOutcome run_job(RunnerContext& ctx, const protocol::SyncJob& job, std::stop_token service_stop) {
  const std::string connector_id = job.connector_id();
  const std::string type = job.job_type();
  auto connector = ctx.connectors.get(connector_id);
  if (!connector) {
    ctx.jobs.finish(job.id(), job_status::kError, "Couldn't find connector " + connector_id, {}, std::nullopt);
    return RunOutcome::kRan;
  }
  std::string previous = connector->last_sync_status();
  if (!ctx.connectors.sync_starts(connector_id, type)) return RunOutcome::kNotStarted;
  // An incremental job records the cursor it starts from, as the framework's claim does.
  json cursor = type == protocol::job_type::kIncremental ? connector->sync_cursor() : json(nullptr);
  if (!ctx.jobs.claim(job.id(), ctx.hostname, cursor, ctx.worker.to_json())) {
    ctx.connectors.release_lock(connector_id, type, previous);
    return RunOutcome::kNotStarted;
  }
  spdlog::info("[Connector id: {}, index name: {}, Sync job id: {}] {} sync started on {}", connector_id,
               job.index_name(), job.id(), type, ctx.hostname);

  std::stop_source stop;
  std::atomic<StopReason> reason{StopReason::kNone};
  auto stop_for = [&](StopReason why) {
    StopReason none = StopReason::kNone;
    reason.compare_exchange_strong(none, why);  // the first reason wins
    stop.request_stop();
  };
  std::stop_callback on_shutdown(service_stop, [&] { stop_for(StopReason::kSuspended); });
  sync::SyncResult result;
  std::string failure;
  std::unique_ptr<sources::Source> source;
  try {
    const sync::JobSpec spec = job_spec(job, *connector);
    source = sources::make_source(
        job.service_type(),
        protocol::merge_secrets(job.configuration(), connector->configuration()));
    auto options = sync::job_sync_options(ctx.config, spec, *source);
    // The job document is read every 250 ms, so that a cancel ends the job
    // within 2 s; counters are written every report_every_seconds as before.
    options.progress_interval = std::chrono::milliseconds(kWatchMillis);
    int ticks = 0;
    const int report_every = report_every_seconds(ctx.config) * (1000 / kWatchMillis);
    options.progress = [&](const sync::SyncCounters& counters) {
      // Watch the job document: cancellation, deletion or reaping stop the sync.
      auto current = ctx.jobs.get(job.id());
      if (!current) {
        stop_for(StopReason::kGone);
      } else if (current->status() == job_status::kCanceling) {
        stop_for(StopReason::kCanceled);
      } else if (current->status() != job_status::kInProgress) {
        stop_for(StopReason::kGone);
      }
      if (++ticks % report_every == 0) {
        try {
          ctx.jobs.report(job.id(), counters_of(counters));
        } catch (const std::exception& e) {
          spdlog::warn("job {}: progress report failed, retrying next time: {}", job.id(), e.what());
        }
      }
    };
    result = sync::run_sync_job(content_client_options(ctx.config, connector_id), *source, spec,
                                options, stop.get_token());
  } catch (const std::exception& e) {
    failure = logging::redact(e.what());
  }

  std::string status = job_status::kCompleted;
  std::string error;
  if (!failure.empty()) {
    status = job_status::kError;
    error = failure;
  } else if (result.status == sync::SyncStatus::kCanceled || reason.load() != StopReason::kNone) {
    StopReason why = reason.load();
    status = why == StopReason::kCanceled    ? job_status::kCanceled
             : why == StopReason::kSuspended ? job_status::kSuspended
                                             : job_status::kError;
    if (why == StopReason::kGone) error = "The job was deleted or ended by another process";
  } else if (result.status != sync::SyncStatus::kCompleted) {
    status = job_status::kError;
    error = logging::redact(result.error);
  } else {
    // Completed: what the source left out is told in the job's error, where
    // Kibana and `connectors job view` show it; the status stays completed.
    error = logging::redact(warnings_summary(result.warnings, result.warning_count));
  }
  error = clip(error);
  auto total = index_count(ctx.client, job.index_name());
  if (!ctx.jobs.finish(job.id(), status, error, counters_of(result), total)) {
    // Someone asked to cancel while we were ending for another reason.
    ctx.jobs.finish(job.id(), job_status::kCanceled, "", counters_of(result), total);
  }
  // The cursor the source reached (null for a source without one), saved by
  // sync_done only after a completed content job.
  json reached =
      source && source->incremental() ? source->incremental()->sync_cursor() : json(nullptr);
  if (auto ended = ctx.jobs.get(job.id())) {
    ctx.connectors.sync_done(connector_id, ended->doc.source, reached);
  } else {
    ctx.connectors.sync_done(connector_id, {{"job_type", type}, {"status", job_status::kError},
                                            {"error", "Couldn't find the job"}});
  }
  spdlog::info(
      "[Connector id: {}, index name: {}, Sync job id: {}] {} sync ended: {}{} ({} indexed, "
      "{} deleted, {} unchanged, {} bytes of content read, {} files without text, {:.1f} s)",
      connector_id, job.index_name(), job.id(), type, status, error.empty() ? "" : " - " + error,
      result.indexed_document_count, result.deleted_document_count, result.docs_unchanged,
      result.content_bytes_read, result.extraction_failures, result.seconds);
  return RunOutcome::kRan;
}

}  // namespace connectors::service
