#include "extraction/isolation/pool.h"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "extraction/isolation/frames.h"

extern char** environ;

namespace connectors::extraction::isolation {
namespace {

using Clock = std::chrono::steady_clock;

// A stop is looked at this often while a worker extracts.
constexpr int kStopCheckMillis = 100;

enum class ReadStatus { kOk, kEnd, kTimeout, kStopped };

// Reads exactly n bytes before `deadline`; kEnd when the worker closed its side.
ReadStatus read_exact(int fd, char* out, size_t n, Clock::time_point deadline,
                      const std::stop_token& stop) {
  size_t got = 0;
  while (got < n) {
    if (stop.stop_requested()) return ReadStatus::kStopped;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return ReadStatus::kTimeout;
    pollfd p{fd, POLLIN, 0};
    int ready =
        ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), kStopCheckMillis)));
    if (ready < 0 && errno != EINTR) return ReadStatus::kEnd;
    if (ready <= 0) continue;
    ssize_t r = ::recv(fd, out + got, n - got, 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r <= 0) return ReadStatus::kEnd;
    got += static_cast<size_t>(r);
  }
  return ReadStatus::kOk;
}

bool send_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t w = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    done += static_cast<size_t>(w);
  }
  return true;
}

// Waits for the worker's end; how it ended, as a reason.
std::string reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return "extractor ended";
  }
  if (WIFSIGNALED(status)) return fmt::format("extractor crashed (signal {})", WTERMSIG(status));
  return fmt::format("extractor crashed (exit status {})", WEXITSTATUS(status));
}

void end_worker(pid_t pid, int fd) {
  if (fd >= 0) ::close(fd);
  if (pid > 0) {
    ::kill(pid, SIGKILL);
    reap(pid);
  }
}

std::string seconds(std::chrono::milliseconds d) {
  return fmt::format("{:g} s", static_cast<double>(d.count()) / 1000.0);
}

}  // namespace

std::string default_extractor_program() {
  if (const char* set = std::getenv("CONNECTORS_EXTRACTOR"); set != nullptr && *set != '\0') {
    return set;
  }
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "connectors-extractor";  // then found on PATH (posix_spawnp)
  return (self.parent_path() / "connectors-extractor").string();
}

ExtractorPool::ExtractorPool(PoolOptions options) : options_(std::move(options)) {
  if (options_.program.empty()) options_.program = default_extractor_program();
  if (options_.workers < 1) options_.workers = 1;
}

ExtractorPool::~ExtractorPool() {
  std::lock_guard lock(mutex_);
  for (auto& worker : idle_) end_worker(worker.pid, worker.fd);
  idle_.clear();
}

long long ExtractorPool::workers_started() const {
  std::lock_guard lock(mutex_);
  return started_;
}

ExtractorPool::Worker ExtractorPool::spawn() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    throw std::runtime_error(
        fmt::format("cannot start the extractor: socketpair: {}", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, sv[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, sv[1], STDOUT_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  // Its own process group: a Ctrl-C at the terminal stops the service, which
  // then ends its workers; they are not killed in the middle of a file.
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::string limit = std::to_string(options_.memory_limit_bytes);
  std::string program = options_.program;
  char* argv[] = {program.data(), const_cast<char*>("--memory-limit"), limit.data(), nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, program.c_str(), &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(sv[1]);
  if (rc != 0) {
    ::close(sv[0]);
    throw std::runtime_error(
        fmt::format("cannot start the extractor {}: {}", options_.program, std::strerror(rc)));
  }
  std::lock_guard lock(mutex_);
  ++started_;
  return {pid, sv[0]};
}

ExtractorPool::Worker ExtractorPool::acquire() {
  std::unique_lock lock(mutex_);
  free_.wait(lock, [&] {
    return !idle_.empty() || busy_ + static_cast<int>(idle_.size()) < options_.workers;
  });
  ++busy_;
  if (!idle_.empty()) {
    Worker worker = idle_.back();
    idle_.pop_back();
    return worker;
  }
  return {};  // a free slot: the caller spawns
}

void ExtractorPool::release(Worker worker, bool healthy) {
  {
    std::lock_guard lock(mutex_);
    --busy_;
    if (healthy && worker.pid > 0) idle_.push_back(worker);
  }
  free_.notify_one();
}

Extracted ExtractorPool::extract(const std::filesystem::path& path, std::string_view extension,
                                 std::stop_token stop) {
  Worker worker = acquire();
  if (worker.pid <= 0) {
    try {
      worker = spawn();
    } catch (const std::exception& e) {
      release({}, false);
      return {false, "", e.what()};
    }
  }
  bool healthy = false;
  Extracted result = run(worker, path, extension, stop, healthy);
  release(worker, healthy);
  return result;
}

Extracted ExtractorPool::run(Worker& worker, const std::filesystem::path& path,
                             std::string_view extension, std::stop_token stop, bool& healthy) {
  const auto deadline = Clock::now() + options_.timeout;
  ReadStatus status = ReadStatus::kEnd;
  char header[9];
  std::string body;
  if (send_all(worker.fd, encode_request({std::string(extension), path.string()}))) {
    status = read_exact(worker.fd, header, sizeof header, deadline, stop);
    if (status == ReadStatus::kOk) {
      std::pair<bool, uint64_t> kind;
      try {
        kind = decode_reply_header(header);
      } catch (const std::exception&) {
        ::close(worker.fd);
        end_worker(worker.pid, -1);
        return {false, "", "the extractor sent a malformed reply"};
      }
      auto [ok, size] = kind;
      body.resize(size);
      status = read_exact(worker.fd, body.data(), body.size(), deadline, stop);
      if (status == ReadStatus::kOk) {
        healthy = true;
        if (ok) return {true, std::move(body), ""};
        return {false, "", std::move(body)};
      }
    }
  }
  // The worker is of no more use: it died, hangs, or the sync stopped.
  if (worker.fd >= 0) ::close(worker.fd);
  worker.fd = -1;
  if (status == ReadStatus::kEnd) {
    std::string reason = reap(worker.pid);
    return {false, "", reason};
  }
  end_worker(worker.pid, -1);
  if (status == ReadStatus::kStopped) return {false, "", "canceled"};
  return {false, "", "extraction timed out after " + seconds(options_.timeout)};
}

}  // namespace connectors::extraction::isolation
