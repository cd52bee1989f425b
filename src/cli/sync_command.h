// `connectors sync`: one full sync of a source into an index, without the
// service — for users trying a source and for benchmarks — or, with
// --connector-id, of a connector as the service would run it (the same job
// wiring, sync/job_setup.h), without a job document. Prints progress on
// stderr and a summary at the end.
#pragma once

#include <CLI/CLI.hpp>

namespace connectors::cli {

// Adds the subcommand to `app`; the returned callback runs it (exit code).
std::function<int()> add_sync_command(CLI::App& app);

}  // namespace connectors::cli
