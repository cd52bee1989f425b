// Glob matching of relative paths: `*` and `?` within one path segment,
// `[...]` classes, and `**` for any number of segments ("**/*.txt" matches
// "a.txt" and "x/y/a.txt"). Pure function.
#pragma once

#include <string_view>

namespace connectors {

bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace connectors
