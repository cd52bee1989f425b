// connectors: the management CLI. Argument parsing and wiring only.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/commands/commands.h"
#include "cli/dash_ids.h"
#include "cli/sync_command.h"
#include "core/memory.h"
#include "core/version.h"

int main(int argc, char** argv) {
  connectors::core::tune_malloc();
  using namespace connectors::cli;
  CLI::App app{"connectors: manage connectors, sync jobs and indices in Elasticsearch."};
  app.name("connectors");
  app.set_version_flag("-v,--version", std::string("connectors ") + connectors::kVersion);
  app.require_subcommand(1);
  // Global options may also be given after the subcommand (`connector list -c FILE`).
  app.fallthrough();
  auto global = std::make_shared<GlobalOptions>();
  app.add_option("-c,--config", global->config_file,
                 "Config file (default: .cli/config.yml if it exists, else config.yml)");
  add_log_flags(app, global->log);

  std::vector<Runner> runners = {
      add_login_command(app, global),   add_connector_commands(app, global),
      add_index_commands(app, global),  add_job_commands(app, global),
      add_extract_command(app, global), add_sync_command(app)};
  try {
    std::vector<std::string> args =
        protect_dash_ids(app, std::vector<std::string>(argv + 1, argv + argc));
    std::reverse(args.begin(), args.end());  // CLI11 takes the vector last argument first
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage mistake exits 2.
    return app.exit(e) == 0 ? 0 : 2;
  }
  for (const auto& run : runners) {
    int code = run();
    if (code >= 0) return code;
  }
  return 2;
}
