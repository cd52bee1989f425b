#include "service/service.h"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <list>
#include <mutex>
#include <set>
#include <thread>

#include "core/errors.h"
#include "core/logging.h"
#include "core/repeated_log.h"
#include "es/preflight.h"
#include "es/retry.h"
#include "protocol/indices.h"
#include "protocol/statuses.h"
#include "service/cleanup.h"
#include "service/job_runner.h"
#include "service/scheduler.h"
#include "service/worker_identity.h"

namespace connectors::service {
namespace {

std::string hostname() {
  char name[256] = {0};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

// Runs `body` every `period` until stopped; errors are logged, and more than
// service.max_errors of them within max_errors_span stop the service.
void loop(const char* name, std::chrono::seconds period, const config::ServiceConfig& service,
          std::stop_source& stop_all, const std::function<void()>& body) {
  std::vector<std::chrono::steady_clock::time_point> errors;
  RepeatedLog repeated;  // the same failure on every pass is logged once, then at a low rate
  std::stop_token stop = stop_all.get_token();
  while (!stop.stop_requested()) {
    try {
      body();
      if (auto line = repeated.succeeded(name)) spdlog::info("{}: {}", name, *line);
    } catch (const std::exception& e) {
      if (auto line = repeated.failed(name, logging::redact(e.what()))) spdlog::error("{} failed: {}", name, *line);
      auto now = std::chrono::steady_clock::now();
      std::erase_if(errors, [&](auto t) { return now - t > std::chrono::seconds(service.max_errors_span_s); });
      errors.push_back(now);
      if (static_cast<int>(errors.size()) > service.max_errors) {
        spdlog::critical("{}: {} errors in {} s; stopping the service", name, errors.size(),
                         service.max_errors_span_s);
        stop_all.request_stop();
        return;
      }
    }
    es::sleep_for(period, stop);
  }
}

// The jobs this process is running, each on its own thread.
class Runners {
 public:
  explicit Runners(size_t capacity) : capacity_(capacity) {}
  ~Runners() { join_all(); }

  bool has_room() {
    reap();
    std::lock_guard lock(mutex_);
    return running_.size() < capacity_;
  }
  bool is_running(const std::string& job_id) {
    std::lock_guard lock(mutex_);
    return job_ids_.count(job_id) > 0;
  }
  void start(const std::string& job_id, std::function<void()> body) {
    std::lock_guard lock(mutex_);
    job_ids_.insert(job_id);
    auto& slot = running_.emplace_back();
    slot.job_id = job_id;
    slot.thread = std::thread([this, &slot, body = std::move(body)] {
      body();
      slot.done = true;
    });
  }
  void join_all() {
    std::lock_guard lock(mutex_);
    for (auto& slot : running_) slot.thread.join();
    running_.clear();
    job_ids_.clear();
  }

 private:
  struct Slot {
    std::string job_id;
    std::thread thread;
    std::atomic<bool> done{false};
  };
  void reap() {
    std::lock_guard lock(mutex_);
    for (auto it = running_.begin(); it != running_.end();) {
      if (it->done) {
        it->thread.join();
        job_ids_.erase(it->job_id);
        it = running_.erase(it);
      } else {
        ++it;
      }
    }
  }

  size_t capacity_;
  std::mutex mutex_;
  std::list<Slot> running_;        // guarded by mutex_; a list: slots must not move
  std::set<std::string> job_ids_;  // guarded by mutex_
};

std::vector<std::string> configured_ids(const config::Config& config) {
  std::vector<std::string> ids;
  for (const auto& entry : config.connectors) ids.push_back(entry.connector_id);
  return ids;
}

}  // namespace

int run_service(const config::Config& config, std::stop_token outside_stop) {
  es::Client client(es::client_options_from(config.elasticsearch));
  auto info = es::preflight(client, config, outside_stop, protocol::ensure_system_indices);
  spdlog::info("connected to {} {} at {}", info.flavour == es::Flavour::kOpenSearch ? "OpenSearch" : "Elasticsearch",
               info.version, config.elasticsearch.host);
  protocol::check_system_indices(client);
  if (!config.native_service_types.empty()) {
    spdlog::info("serving the native connectors of {} (native_service_types)", fmt::join(config.native_service_types, ", "));
  }
  if (config.connectors.empty() && !config.service.worker_mode && config.native_service_types.empty()) {
    spdlog::warn("no connectors configured (config.yml `connectors`): nothing to do until there are");
  }

  protocol::ConnectorStore connectors(client);
  protocol::JobStore jobs(client);
  std::stop_source stop_all;
  std::stop_callback forward(outside_stop, [&] { stop_all.request_stop(); });
  const std::string host = hostname();
  RunnerContext context{client, connectors, jobs, config, host, WorkerIdentity::self(host)};
  // Content and access-control jobs run in pools of their own sizes, as in the framework.
  Runners content_runners(static_cast<size_t>(config.service.max_concurrent_content_syncs));
  Runners access_control_runners(
      static_cast<size_t>(config.service.max_concurrent_access_control_syncs));
  auto runners_for = [&](const protocol::SyncJob& job) -> Runners& {
    return job.job_type() == protocol::job_type::kAccessControl ? access_control_runners
                                                                : content_runners;
  };
  auto is_running = [&](const std::string& id) {
    return content_runners.is_running(id) || access_control_runners.is_running(id);
  };
  auto service_types = config.service.worker_mode ? config.service.service_types : std::vector<std::string>{};

  auto our_connectors = [&] {
    return connectors.list(configured_ids(config), service_types, config.native_service_types);
  };
  auto our_ids = [&] {
    std::vector<std::string> ids;
    for (const auto& c : our_connectors()) ids.push_back(c.id());
    return ids;
  };
  const auto idle_threshold = std::chrono::seconds(config.service.idle_job_threshold_s);

  std::thread cleanup([&] {
    loop("job cleanup", std::chrono::seconds(config.service.job_cleanup_interval_s), config.service, stop_all,
         [&] { clean_up_jobs(connectors, jobs, our_ids(), idle_threshold); });
  });
  std::thread scheduling([&] {
    Scheduler scheduler(connectors, jobs, config);
    auto last_wake = std::chrono::system_clock::now();
    loop("scheduling", std::chrono::seconds(config.service.idling_s), config.service, stop_all, [&] {
      auto this_wake = std::chrono::system_clock::now();
      scheduler.run_once(our_connectors(), last_wake, this_wake, stop_all.get_token());
      last_wake = this_wake;
    });
  });
  std::thread execution([&] {
    loop("job execution", std::chrono::seconds(config.service.idling_s), config.service, stop_all, [&] {
      auto ids = our_ids();
      end_jobs_of_dead_workers(connectors, jobs, ids, context.worker, is_running);
      for (const auto& job : jobs.pending(ids)) {
        if (std::string why = unrunnable_job_message(job.job_type(), job.service_type());
            !why.empty()) {
          if (jobs.reject(job.id(), why)) spdlog::error("job {} of connector {}: {}", job.id(), job.connector_id(), why);
          continue;
        }
        Runners& runners = runners_for(job);
        if (!runners.has_room() || runners.is_running(job.id())) continue;
        runners.start(job.id(), [&context, job, token = stop_all.get_token()] {
          try {
            run_job(context, job, token);
          } catch (const std::exception& e) {
            spdlog::error("job {}: {}", job.id(), logging::redact(e.what()));
          }
        });
      }
    });
  });

  scheduling.join();
  execution.join();
  cleanup.join();
  content_runners.join_all();  // running jobs saw the stop and ended suspended
  access_control_runners.join_all();
  spdlog::info("elastic-ingest stopped");
  return 0;
}

}  // namespace connectors::service
