// Start-up steps shared by both programs: logging flags and config loading.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "config/loader.h"
#include "core/logging.h"

namespace connectors::cli {

struct LogFlags {
  std::string level;  // empty = from config
  bool debug = false;
  bool filebeat = false;
};

// Adds --log-level, --debug and --filebeat to `app`.
void add_log_flags(CLI::App& app, LogFlags& flags);

// Loads the config, sets up logging (flag > service.log_level > INFO) and logs
// the config warnings. Throws ConfigError.
config::Config load_and_setup(const std::string& path, const LogFlags& flags);

}  // namespace connectors::cli
