// ExtractorPool: the service's way to run parsers of untrusted files. Each
// extraction goes to one of a few worker processes (connectors-extractor),
// started with posix_spawn (the service is multi-threaded: no fork), each under
// an address-space limit and without core dumps. A worker that does not answer
// within the timeout is killed; one that dies is reaped; either is replaced by
// a fresh one for the next file, and the file fails with the reason. Nothing a
// file does reaches the service. Thread-safe: callers beyond the number of
// workers wait for one to be free.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace connectors::extraction::isolation {

struct PoolOptions {
  std::string program;  // the worker executable; empty = default_extractor_program()
  int workers = 2;
  long long memory_limit_bytes = 1LL << 30;  // RLIMIT_AS of each worker; 0 = none
  std::chrono::milliseconds timeout{30000};  // per file, wall clock
};

struct Extracted {
  bool ok = false;
  std::string text;    // when ok: whitespace reduced, possibly empty
  std::string reason;  // when not: why there is no text ("extraction timed out after 30 s")
};

// $CONNECTORS_EXTRACTOR, else connectors-extractor next to the running
// executable (/proc/self/exe).
std::string default_extractor_program();

class ExtractorPool {
 public:
  explicit ExtractorPool(PoolOptions options);
  ~ExtractorPool();  // ends the workers (closes their input, then kills what is left)
  ExtractorPool(const ExtractorPool&) = delete;
  ExtractorPool& operator=(const ExtractorPool&) = delete;

  // The text of the file at `path`, typed by `extension`. Never throws for the
  // file's sake: a parser error, a crash, a timeout or a worker that cannot be
  // started come back as a reason. A stop kills the worker at once
  // (reason "canceled").
  Extracted extract(const std::filesystem::path& path, std::string_view extension,
                    std::stop_token stop = {});

  const PoolOptions& options() const { return options_; }
  long long workers_started() const;  // every spawn, restarts included

 private:
  struct Worker {
    pid_t pid = -1;
    int fd = -1;  // a socket: the worker's stdin and stdout
  };
  Worker acquire();
  void release(Worker worker, bool healthy);
  Worker spawn();
  Extracted run(Worker& worker, const std::filesystem::path& path, std::string_view extension,
                std::stop_token stop, bool& healthy);

  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable free_;
  std::vector<Worker> idle_;  // guarded by mutex_
  int busy_ = 0;              // guarded by mutex_
  long long started_ = 0;     // guarded by mutex_
};

}  // namespace connectors::extraction::isolation
