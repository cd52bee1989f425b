// One scheduling pass over the connectors this process serves, as the
// framework's JobSchedulingService: heartbeat, publish the source's
// configuration schema, check the configuration (status connected or error)
// and create the jobs whose schedule ticked since the previous pass. Each tick
// is claimed with a conditional write, so N instances create one job per tick.
// A failure that repeats on every pass is logged once, then on a change, every
// 5 minutes and when it recovers (core/repeated_log.h).
// Up to service.max_concurrent_scheduling_tasks connectors are served at once,
// and a source's ping runs on its own thread that the pass stops waiting for
// when the service stops: an unreachable source delays neither the other
// connectors nor the shutdown. A ping still running from an earlier pass is
// not started again.
// run_once is called from the scheduling thread only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/repeated_log.h"
#include "protocol/connectors.h"
#include "protocol/jobs.h"

namespace connectors::service {

// The job types whose schedules the scheduler follows for a connector with
// these `features` and a source with these capabilities, in the framework's
// order: access_control (features.document_level_security.enabled), then
// incremental (features.incremental_sync.enabled), each only if the source has
// it, then full. No licence is checked (the framework asks for Platinum).
std::vector<std::string> scheduled_job_types(const nlohmann::json& features,
                                             const sources::Capabilities& capabilities);

class Scheduler {
 public:
  Scheduler(protocol::ConnectorStore& connectors, protocol::JobStore& jobs,
            const config::Config& config);
  // Waits (at most kPingDrain) for the configuration checks still running: a
  // source's client must not be in use when the process exits and its library's
  // atexit cleanup runs (libmongoc's did, under a MongoDB ping: a crash at stop).
  ~Scheduler();
  static constexpr std::chrono::seconds kPingDrain{3};

  // `last_wake` is when the previous pass ended (the service's start at first).
  void run_once(const std::vector<protocol::Connector>& connectors,
                std::chrono::system_clock::time_point last_wake,
                std::chrono::system_clock::time_point this_wake, std::stop_token stop = {});

 private:
  void serve(const protocol::Connector& listed, std::chrono::system_clock::time_point last_wake,
             std::chrono::system_clock::time_point this_wake, std::stop_token stop);
  void heartbeat(const protocol::Connector& connector);
  bool check_configuration(const protocol::Connector& connector, std::stop_token stop);
  // The source's ping on a thread of its own; nullopt when the service stopped
  // first or a ping of this connector is still running.
  std::optional<std::string> ping(const protocol::Connector& connector, std::stop_token stop);
  // Thread-safe access to repeated_.
  std::optional<std::string> failed(const std::string& key, const std::string& message);
  std::optional<std::string> succeeded(const std::string& key);
  void schedule(const protocol::Connector& connector, const std::string& job_type,
                std::chrono::system_clock::time_point last_wake,
                std::chrono::system_clock::time_point this_wake);

  protocol::ConnectorStore& connectors_;
  protocol::JobStore& jobs_;
  const config::Config& config_;
  // Connectors whose ping has not returned yet; shared with the ping threads,
  // which may outlive the scheduler.
  struct Pinging {
    std::mutex mutex;
    std::condition_variable done;  // an id left `ids`
    std::set<std::string> ids;
  };
  std::mutex mutex_;  // guards the two below: connectors are served on several threads
  std::map<std::string, std::chrono::steady_clock::time_point> last_heartbeat_;
  RepeatedLog repeated_;  // keys: "<connector id> <step>"
  std::shared_ptr<Pinging> pinging_ = std::make_shared<Pinging>();
};

}  // namespace connectors::service
