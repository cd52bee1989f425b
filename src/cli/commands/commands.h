// The management commands of `connectors` (login, connector, index, job), the
// Python framework's `connectors` CLI. Each add_* function adds its
// subcommands to the app and returns a runner: -1 when none of them was
// chosen, else the exit code (0 ok, 1 runtime error, 2 usage/config error).
// Messages for people go to stderr; stdout carries only the results.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <string>

#include "cli/common.h"
#include "core/errors.h"
#include "core/logging.h"
#include "es/client.h"

namespace connectors::cli {

// Options every management command shares: -c/--config and the log flags.
struct GlobalOptions {
  std::string config_file;  // empty = the default (see config_path)
  LogFlags log;
};

// Failure of a command with a message for the user: exit code 1.
class CommandError : public Error {
 public:
  using Error::Error;
};

using Runner = std::function<int()>;

Runner add_login_command(CLI::App& app, std::shared_ptr<GlobalOptions> global);
Runner add_connector_commands(CLI::App& app, std::shared_ptr<GlobalOptions> global);
Runner add_index_commands(CLI::App& app, std::shared_ptr<GlobalOptions> global);
Runner add_job_commands(CLI::App& app, std::shared_ptr<GlobalOptions> global);
// `connectors extract FILE…` (extract_command.cpp).
Runner add_extract_command(CLI::App& app, std::shared_ptr<GlobalOptions> global);

// Where `login` writes and the commands read by default.
inline constexpr const char* kLoginConfigPath = ".cli/config.yml";

// -c/--config if given, else .cli/config.yml if it exists, else config.yml.
inline std::string config_path(const GlobalOptions& global) {
  if (!global.config_file.empty()) return global.config_file;
  std::error_code ec;
  if (std::filesystem::exists(kLoginConfigPath, ec)) return kLoginConfigPath;
  return "config.yml";
}

// The loaded config and a client for its elasticsearch.* section.
struct Session {
  config::Config config;
  std::unique_ptr<es::Client> client;
};

// Loads the config (ConfigError, exit 2, when it is missing or bad) and makes a
// client whose retries are kept short: a person is waiting.
inline Session open_session(const GlobalOptions& global) {
  std::string path = config_path(global);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw ConfigError("--config", global.config_file.empty()
                                      ? "no config file: neither .cli/config.yml nor config.yml exists "
                                        "(run `connectors login` or give -c FILE)"
                                      : "cannot read config file " + path);
  }
  Session session{load_and_setup(path, global.log), nullptr};
  auto options = es::client_options_from(session.config.elasticsearch);
  options.max_retries = std::min(options.max_retries, 3);
  options.retry_base = std::min(options.retry_base, std::chrono::milliseconds(500));
  options.retry_cap = std::min(options.retry_cap, std::chrono::milliseconds(5000));
  session.client = std::make_unique<es::Client>(options);
  return session;
}

// Runs one command: ConfigError (and CLI usage problems found late) → 2, any
// other exception → 1, each with "connectors <command>: message" on stderr,
// secrets masked.
inline int run_guarded(const std::string& command, const std::function<int()>& body) {
  try {
    return body();
  } catch (const ConfigError& e) {
    std::cerr << "connectors " << command << ": " << logging::redact(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "connectors " << command << ": " << logging::redact(e.what()) << "\n";
    return 1;
  }
}

}  // namespace connectors::cli
