#include "extraction/isolation/worker.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

#include "extraction/isolation/frames.h"

namespace connectors::extraction::isolation {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

void set_limit(int resource, rlim_t value) {
  rlimit limit{value, value};
  if (::setrlimit(resource, &limit) != 0) {
    std::fprintf(stderr, "connectors-extractor: setrlimit(%d) failed: %s\n", resource,
                 std::strerror(errno));
  }
}

Reply extract_one(const Request& request, const ExtractFunction& extract) {
  try {
    return {true, extract(request.path, request.extension)};
  } catch (const std::bad_alloc&) {
    return {false, "out of memory (over the extractor's memory limit)"};
  } catch (const std::exception& e) {
    return {false, e.what()};
  } catch (...) {
    return {false, "unknown error"};
  }
}

}  // namespace

int serve(int in_fd, int out_fd, const ExtractFunction& extract) {
  while (true) {
    std::optional<Request> request;
    try {
      request = read_request(in_fd);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "connectors-extractor: %s\n", e.what());
      return 2;
    }
    if (!request) return 0;
    if (!write_all(out_fd, encode_reply(extract_one(*request, extract)))) return 0;
  }
}

int worker_main(int argc, char** argv, const ExtractFunction& extract) {
  set_limit(RLIMIT_CORE, 0);
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--memory-limit") == 0) {
      long long bytes = std::atoll(argv[i + 1]);
      if (bytes > 0 && !kAddressSanitizer) set_limit(RLIMIT_AS, static_cast<rlim_t>(bytes));
    }
  }
  return serve(STDIN_FILENO, STDOUT_FILENO, extract);
}

}  // namespace connectors::extraction::isolation
