// elastic-ingest: the connector service. Argument parsing and wiring only.
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include "cli/common.h"
#include "core/errors.h"
#include "core/memory.h"
#include "core/version.h"
#include "service/service.h"
#include "sources/registry.h"

using namespace connectors;

namespace {

int list_sources() {
  const auto& sources = sources::registered_sources();
  if (sources.empty()) {
    std::cout << "No sources are built into this binary.\n";
  } else {
    std::cout << "Registered connectors:\n";
    for (const auto& source : sources) {
      std::cout << "- " << source.service_type << " (" << source.name << ")\n";
    }
  }
  // Said, so that a binary built without a source is not mistaken for a full one.
  const auto& left_out = sources::sources_left_out();
  if (!left_out.empty()) {
    std::cout << "Left out of this build: " << fmt::format("{}", fmt::join(left_out, ", ")) << "\n";
  }
  return 0;
}

std::atomic<bool> g_signalled{false};

void on_signal(int) { g_signalled = true; }

// SIGTERM / SIGINT stop the service: running jobs end suspended, to be resumed.
int poll(const config::Config& config) {
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::stop_source stop;
  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    while (!finished) {
      if (g_signalled) {
        spdlog::info("signal received: stopping (running jobs will be suspended)");
        stop.request_stop();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  int code = 1;
  try {
    code = service::run_service(config, stop.get_token());
  } catch (...) {
    finished = true;
    watcher.join();
    throw;
  }
  finished = true;
  watcher.join();
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  connectors::core::tune_malloc();
  CLI::App app{
      "elastic-ingest: keeps Elasticsearch indices in sync with content sources, "
      "following the connector protocol."};
  std::string action = "poll";
  std::string config_file = "config.yml";
  bool uvloop = false;
  cli::LogFlags log_flags;
  app.add_option("--action", action, "What elastic-ingest should do")
      ->check(CLI::IsMember({"poll", "list"}))
      ->capture_default_str();
  app.add_option("-c,--config-file", config_file, "Configuration file")->capture_default_str();
  cli::add_log_flags(app, log_flags);
  app.add_flag("--uvloop", uvloop, "Accepted for compatibility with the Python framework; ignored");
  app.set_version_flag("--version", std::string("elastic-ingest ") + kVersion,
                       "Display the version and exit.");
  CLI11_PARSE(app, argc, argv);

  if (uvloop) std::cerr << "note: --uvloop only applied to the Python framework; ignored.\n";
  if (action == "list") return list_sources();
  try {
    auto config = cli::load_and_setup(config_file, log_flags);
    return poll(config);
  } catch (const ConfigError& e) {
    std::cerr << "elastic-ingest: " << logging::redact(e.what()) << "\n";
    return 2;
  } catch (const Cancelled&) {
    // SIGTERM / SIGINT during the start-up checks: a requested stop, not a failure.
    spdlog::info("stopped before start-up finished");
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
