// connectors: the management CLI. Argument parsing and wiring only.
#include <CLI/CLI.hpp>

#include "cli/sync_command.h"
#include "core/version.h"

int main(int argc, char** argv) {
  CLI::App app{"connectors: manage connectors, sync jobs and indices in Elasticsearch."};
  app.set_version_flag("-v,--version", std::string("connectors ") + connectors::kVersion);
  app.require_subcommand(1);
  auto run_sync = connectors::cli::add_sync_command(app);
  CLI11_PARSE(app, argc, argv);
  return run_sync();
}
