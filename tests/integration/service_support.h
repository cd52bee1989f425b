// Helpers of the service tests: an elastic-ingest process with its own
// config.yml and log, always killed at the end, and connector set-up through
// the protocol layer.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "protocol/connectors.h"
#include "protocol/indices.h"
#include "protocol/jobs.h"
#include "sources/registry.h"
#include "support.h"

namespace connectors::testing {

inline std::filesystem::path binary_dir() {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path();
}

// Writes a config.yml for a service serving `connector_ids`, with fast loops.
inline std::string write_service_config(const std::string& path, const std::vector<std::string>& connector_ids,
                                        const std::string& extra = "") {
  std::ofstream out(path);
  out << "elasticsearch:\n  host: " << engine_url() << "\n  retry_interval: 0.1\n"
      << "  bulk:\n    chunk_size: 200\n    retry_interval: 0.1\n"
      << "service:\n  idling: 1\n  heartbeat: 2\n  job_cleanup_interval: 1\n  idle_job_threshold: 6\n"
      << extra << "connectors:\n";
  for (const auto& id : connector_ids) out << "  - connector_id: " << id << "\n";
  return path;
}

class ServiceProcess {
 public:
  ServiceProcess(const std::string& config, const std::string& log) : log_(log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      std::string exe = (binary_dir() / "elastic-ingest").string();
      ::execl(exe.c_str(), exe.c_str(), "-c", config.c_str(), "--log-level", "INFO", nullptr);
      ::_exit(127);
    }
  }
  ~ServiceProcess() { stop(SIGKILL); }
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // Sends `signal` and waits for the process; returns its exit status.
  int stop(int signal = SIGTERM, std::chrono::seconds grace = std::chrono::seconds(30)) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    pid_ = -1;
    return status;
  }

  std::string log() const {
    std::ifstream in(log_);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

 private:
  pid_t pid_ = -1;
  std::string log_;
};

// Runs the `connectors` CLI next to this binary; its output goes to `log`.
// Returns its exit code.
inline int run_connectors(const std::vector<std::string>& args, const std::string& log) {
  std::string exe = (binary_dir() / "connectors").string();
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<std::string> copy = args;
    std::vector<char*> argv{exe.data()};
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline size_t count_occurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

// Polls `predicate` every 200 ms until it holds or `timeout` passes.
template <typename Predicate>
bool eventually(Predicate predicate, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return predicate();
}

inline nlohmann::json python_89_fixture() {
  std::ifstream in(std::string(REPO_ROOT) + "/tests/fixtures/python-8.9-system-indices.json");
  return nlohmann::json::parse(in);
}

// The system indices as a test wants them: "ours" (what elastic-ingest
// creates: -v1 indices behind aliases), or "python_8_9" — what the Python
// framework 8.9's fake-kibana makes (tests/fixtures/python-8.9-system-indices.json):
// concrete indices named like the aliases, the jobs index `dynamic: false`
// without job_type, and its ent-search-generic-ingestion pipeline. Whatever
// was there before is deleted.
inline void reset_system_indices(es::Client& client, const std::string& flavour) {
  for (const char* name : {protocol::kConnectorsConcrete, protocol::kJobsConcrete, protocol::kConnectorsIndex,
                           protocol::kJobsIndex}) {
    if (!client.index_exists(name)) continue;
    try {
      client.delete_index(name);
    } catch (const es::EsError&) {
      // an alias: its index is deleted by name in this same loop
    }
  }
  if (flavour == "ours") {
    protocol::ensure_system_indices(client);
    return;
  }
  auto fixture = python_89_fixture();
  nlohmann::json settings = {{"index", {{"number_of_shards", 1}, {"auto_expand_replicas", "0-1"}}}};
  client.create_index(protocol::kConnectorsIndex,
                      {{"settings", settings}, {"mappings", protocol::connectors_mappings()}});
  client.create_index(protocol::kJobsIndex, {{"settings", settings}, {"mappings", fixture["jobs_index_mappings"]}});
  client.put_pipeline(fixture["pipeline_id"].get<std::string>(), fixture["pipeline"]);
}

// A configured connector of `service_type` with `values`, as the CLI creates it.
inline std::string create_connector(protocol::ConnectorStore& store, const std::string& id,
                                    const std::string& service_type, const std::string& index,
                                    const nlohmann::json& values) {
  auto schema = sources::schema_to_json(sources::find_source(service_type)->schema());
  for (const auto& [key, value] : values.items()) schema[key]["value"] = value;
  auto doc = protocol::new_connector_document("test " + id, index, service_type, schema);
  return store.create(doc, id);
}

}  // namespace connectors::testing
