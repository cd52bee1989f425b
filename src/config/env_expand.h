// ${VAR}, ${VAR:-default} and $VAR expansion in config.yml scalars, as EnvYAML
// does for the Python framework. `$$` is a literal `$`. Pure functions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace connectors::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment.
EnvLookup process_env();

// Expands `text`. Throws ConfigError naming `key` when a variable without a
// default is not set, or a `${` is not closed.
std::string expand_env(std::string_view text, std::string_view key, const EnvLookup& env);

}  // namespace connectors::config
