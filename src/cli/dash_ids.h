// Ids that Elasticsearch generates (20 base64url characters) begin with '-' about
// once in 64, and CLI11 would read such an id as an option (`job view -Xc9…`).
// The arguments are rewritten first so that such a token stays the value it is.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace connectors::cli {

// True for a 20-character base64url token beginning with '-' that names no
// option of `app` or of its parents.
bool is_dash_id(const CLI::App& app, const std::string& token);

// `args` without the program name, in command-line order. A dash id that follows
// an option taking a value is joined to it (`--connector-id=-Xc9…`); any other is
// a positional and is moved after a `--`. Everything else is left as it is.
std::vector<std::string> protect_dash_ids(const CLI::App& app, std::vector<std::string> args);

}  // namespace connectors::cli
