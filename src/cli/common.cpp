#include "cli/common.h"

namespace connectors::cli {

void add_log_flags(CLI::App& app, LogFlags& flags) {
  auto* level = app.add_option("--log-level", flags.level, "Set log level for the service.")
                    ->check(CLI::IsMember({"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"},
                                          CLI::ignore_case));
  auto* debug = app.add_flag("--debug", flags.debug, "Alias for --log-level DEBUG");
  level->excludes(debug);
  app.add_flag("--filebeat", flags.filebeat, "Output in filebeat format (ECS JSON lines).");
}

config::Config load_and_setup(const std::string& path, const LogFlags& flags) {
  // Log config problems readably even before the configured level is known.
  auto format = flags.filebeat ? logging::Format::kEcsJson : logging::Format::kText;
  logging::setup(format, spdlog::level::info);
  auto loaded = config::load_config_file(path);
  std::string level = flags.debug ? "DEBUG" : !flags.level.empty() ? flags.level
                                                                   : loaded.config.service.log_level;
  logging::setup(format, logging::parse_level(level).value_or(spdlog::level::info));
  for (const auto& warning : loaded.warnings) spdlog::warn("{}: {}", path, warning);
  return std::move(loaded.config);
}

}  // namespace connectors::cli
