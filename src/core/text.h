// Small string helpers shared across concerns.
#pragma once

#include <string>
#include <string_view>

namespace connectors {

// Without leading and trailing spaces, tabs and line breaks.
std::string trim(std::string_view text);

// Trimmed, each inner run of spaces, tabs and line breaks folded to one space:
// a multi-line library message on one log line, a canonical header value.
std::string fold_spaces(std::string_view text);

}  // namespace connectors
