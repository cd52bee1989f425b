// SpooledContent holds one document's content between its fetch and its
// extraction: in memory up to `memory_bytes`, beyond that in a temporary file
// (removed with it), and never more than `max_bytes` in all — a worker holds a
// small buffer however large the file. The extraction stage reads it as a
// buffer or, once spilled, as a file. Used by one thread.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "sources/source.h"

namespace connectors::sync {

class SpooledContent final : public sources::ContentSink {
 public:
  static constexpr size_t kMemoryBytes = 1 << 20;

  // `temp_dir` empty = the system's temporary folder ($TMPDIR, else /tmp).
  explicit SpooledContent(long long max_bytes, size_t memory_bytes = kMemoryBytes,
                          std::filesystem::path temp_dir = {});
  ~SpooledContent() override;
  SpooledContent(const SpooledContent&) = delete;
  SpooledContent& operator=(const SpooledContent&) = delete;

  // Keeps the bytes; false (keeping nothing more) once the content is over
  // max_bytes. Throws Error naming the temporary file when it cannot write it.
  bool write(std::string_view bytes) override;

  long long bytes_read() const { return bytes_read_; }  // every byte offered, over the limit too
  bool over_limit() const { return bytes_read_ > max_bytes_; }
  long long size() const { return kept_; }  // bytes kept

  bool in_memory() const { return fd_ < 0; }
  std::string_view buffer() const { return memory_; }          // the content, while in memory
  const std::filesystem::path& file() const { return path_; }  // the content, once spilled
  // The content, from memory or from the file.
  std::string read_all() const;
  // The content as a file (written out first if it was in memory), for a
  // reader in another process; removed with this object.
  const std::filesystem::path& to_file();

 private:
  void spill();
  void append_to_file(std::string_view bytes);

  long long max_bytes_;
  size_t memory_bytes_;
  std::filesystem::path temp_dir_;
  std::string memory_;
  std::filesystem::path path_;
  int fd_ = -1;
  long long bytes_read_ = 0;
  long long kept_ = 0;
};

}  // namespace connectors::sync
