#include "service/worker_identity.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace connectors::service {
namespace {

std::string read_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

std::string read_pid_namespace() {
  char buffer[128] = {0};
  ssize_t n = ::readlink("/proc/self/ns/pid", buffer, sizeof buffer - 1);
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
}

}  // namespace

std::optional<long long> process_start_ticks(long long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return std::nullopt;
  // The command name (field 2) may hold spaces and parentheses: count fields
  // from the last ')'. Field 3 (state) follows it; the start time is field 22.
  auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int n = 3; n <= 22; ++n) {
    if (!(fields >> field)) return std::nullopt;
  }
  try {
    return std::stoll(field);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

WorkerIdentity WorkerIdentity::self(const std::string& hostname) {
  WorkerIdentity id;
  id.hostname = hostname;
  id.boot_id = read_boot_id();
  id.pid_namespace = read_pid_namespace();
  id.pid = static_cast<long long>(::getpid());
  id.start_ticks = process_start_ticks(id.pid).value_or(0);
  return id;
}

nlohmann::json WorkerIdentity::to_json() const {
  return {{"hostname", hostname},
          {"boot_id", boot_id},
          {"pid_namespace", pid_namespace},
          {"pid", pid},
          {"start_ticks", start_ticks}};
}

std::optional<WorkerIdentity> WorkerIdentity::from_json(const nlohmann::json& value) {
  if (!value.is_object()) return std::nullopt;
  WorkerIdentity id;
  try {
    id.hostname = value.at("hostname").get<std::string>();
    id.boot_id = value.at("boot_id").get<std::string>();
    id.pid_namespace = value.at("pid_namespace").get<std::string>();
    id.pid = value.at("pid").get<long long>();
    id.start_ticks = value.at("start_ticks").get<long long>();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  return id;
}

bool is_dead_local_worker(const WorkerIdentity& holder, const WorkerIdentity& self) {
  // Another machine, another boot (or two machines of one hostname), another
  // container: we cannot see that process, so we judge nothing.
  if (holder.boot_id.empty() || holder.boot_id != self.boot_id ||
      holder.hostname != self.hostname || holder.pid_namespace.empty() ||
      holder.pid_namespace != self.pid_namespace) {
    return false;
  }
  if (holder == self) return false;
  auto started = process_start_ticks(holder.pid);
  return !started || *started != holder.start_ticks;
}

}  // namespace connectors::service
