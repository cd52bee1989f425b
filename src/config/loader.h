// Loads config.yml into a Config: nested or dotted keys, ${ENV} expansion,
// defaults for every key of keys.h, validation that names each bad key, and a
// warning for each unknown key. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/env_expand.h"

namespace connectors::config {

struct LoadResult {
  Config config;
  std::vector<std::string> warnings;  // unknown or deprecated keys, ignored entries
};

// Throws ConfigError listing every bad key (the first one in key()).
LoadResult load_config_string(std::string_view yaml, const EnvLookup& env = process_env());
LoadResult load_config_file(const std::string& path, const EnvLookup& env = process_env());

}  // namespace connectors::config
