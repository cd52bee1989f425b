#include "sync/spooled_content.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/errors.h"

namespace connectors::sync {
namespace {

std::string io_error(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

}  // namespace

SpooledContent::SpooledContent(long long max_bytes, size_t memory_bytes,
                               std::filesystem::path temp_dir)
    : max_bytes_(max_bytes), memory_bytes_(memory_bytes), temp_dir_(std::move(temp_dir)) {}

SpooledContent::~SpooledContent() {
  if (fd_ >= 0) ::close(fd_);
  if (!path_.empty()) ::unlink(path_.c_str());
}

bool SpooledContent::write(std::string_view bytes) {
  bytes_read_ += static_cast<long long>(bytes.size());
  if (over_limit()) {
    memory_.clear();  // nothing of it is indexed: free the memory now
    memory_.shrink_to_fit();
    return false;
  }
  if (in_memory() && memory_.size() + bytes.size() > memory_bytes_) spill();
  if (in_memory()) {
    memory_.append(bytes);
  } else {
    append_to_file(bytes);
  }
  kept_ += static_cast<long long>(bytes.size());
  return true;
}

void SpooledContent::spill() {
  std::filesystem::path dir =
      temp_dir_.empty() ? std::filesystem::temp_directory_path() : temp_dir_;
  std::string name = (dir / "connectors-content-XXXXXX").string();
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) throw Error(io_error("cannot create a temporary file in", dir));
  path_ = name;
  std::string held = std::move(memory_);
  memory_ = {};
  append_to_file(held);
}

void SpooledContent::append_to_file(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(io_error("cannot write the temporary file", path_));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

const std::filesystem::path& SpooledContent::to_file() {
  if (in_memory()) spill();
  return path_;
}

std::string SpooledContent::read_all() const {
  if (in_memory()) return memory_;
  std::string out(static_cast<size_t>(kept_), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(io_error("cannot read the temporary file", path_));
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

}  // namespace connectors::sync
