// Which process holds a job. Written into the job when it is claimed
// (`metadata.worker_instance`) so that a restarted service can tell the jobs
// its dead predecessor held — same kernel (boot id), same pid namespace, a
// process that no longer runs — and end them at once instead of waiting for the
// idle threshold. A job held by a live process, another machine, another boot
// or another container is never judged here: the idle cleanup handles those.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace connectors::service {

struct WorkerIdentity {
  std::string hostname;
  std::string boot_id;        // /proc/sys/kernel/random/boot_id: one kernel, one boot
  std::string pid_namespace;  // /proc/self/ns/pid: pids mean the same only within one
  long long pid = 0;
  long long start_ticks =
      0;  // the process's start time (/proc/<pid>/stat field 22): pids are reused

  static WorkerIdentity self(const std::string& hostname);
  nlohmann::json to_json() const;
  static std::optional<WorkerIdentity> from_json(const nlohmann::json& value);

  bool operator==(const WorkerIdentity&) const = default;
};

// True only when `holder` ran on this kernel since this boot, in our pid
// namespace, and its process is gone (no such pid, or the pid now belongs to
// another process).
bool is_dead_local_worker(const WorkerIdentity& holder, const WorkerIdentity& self);

// The start time of process `pid` in clock ticks since boot; nullopt if none.
std::optional<long long> process_start_ticks(long long pid);

}  // namespace connectors::service
