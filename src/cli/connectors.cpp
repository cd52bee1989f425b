// connectors: the management CLI. Argument parsing and wiring only.
#include <CLI/CLI.hpp>

#include "core/version.h"

int main(int argc, char** argv) {
  CLI::App app{"connectors: manage connectors, sync jobs and indices in Elasticsearch."};
  app.set_version_flag("-v,--version", std::string("connectors ") + connectors::kVersion);
  app.require_subcommand(0, 1);
  CLI11_PARSE(app, argc, argv);
  std::cout << app.help();
  return 0;
}
