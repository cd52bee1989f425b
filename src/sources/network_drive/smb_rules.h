// Advanced sync rules of the Network drive source, as the framework's
// NetworkDriveAdvancedRulesValidator (8.10+) defines them: a list of
// {"pattern": "<glob>"} (non-empty string, no other key), no pattern starting
// with '/'. A pattern is a glob over '/'-separated paths from the server's
// shares ("Folder1/**/*.txt"), '**' crossing folders (wcmatch's GLOBSTAR; we
// match with the project's glob_match). Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sources/source.h"

namespace connectors::sources::smb {

// The framework's message for the first failure ([] or null: valid).
RulesValidation validate_rules(const nlohmann::json& value);

// The patterns of a valid value, '\' turned into '/'; throws ConfigError (key
// "advanced_snippet") with the validation message otherwise.
std::vector<std::string> parse_rules(const nlohmann::json& value);

// Where a pattern's walk starts (the framework's get_base_path): the folder
// before its first wildcard (* ? [ { ! ^), or the whole pattern without one.
std::string base_path(const std::string& pattern);

// Whether the '/'-separated `path` matches `pattern`.
bool pattern_matches(const std::string& pattern, const std::string& path);

}  // namespace connectors::sources::smb
