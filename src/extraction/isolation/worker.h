// The main loop of an extractor worker process (connectors-extractor): reads
// requests on stdin, extracts, writes one reply each on stdout, until stdin
// ends. A library function taking the extract function, so that a test worker
// can put parsers that crash or hang behind it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace connectors::extraction::isolation {

using ExtractFunction =
    std::function<std::string(const std::filesystem::path& path, std::string_view extension)>;

// Serves requests from `in_fd` to `out_fd` with `extract`; a thrown exception
// becomes an error reply (its message), std::bad_alloc "out of memory". Returns
// the process exit code: 0 at the end of input, 2 on a malformed request.
int serve(int in_fd, int out_fd, const ExtractFunction& extract);

// main() of a worker: `--memory-limit BYTES` sets RLIMIT_AS (not under
// AddressSanitizer, which reserves terabytes of address space); core dumps are
// off. Then serves stdin to stdout.
int worker_main(int argc, char** argv, const ExtractFunction& extract);

}  // namespace connectors::extraction::isolation
