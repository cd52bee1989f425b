#include "sync/id_cache.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/hash.h"

namespace connectors::sync {
namespace {

namespace fs = std::filesystem;

// Layout: magic, u32 header length, header JSON, u64 count, count entries of
// two u64 (native byte order: the file never leaves this machine), u64 XXH3 of
// everything before it.
constexpr char kMagic[8] = {'E', 'C', 'I', 'D', 'S', '\x01', '\n', '\0'};
constexpr uint32_t kMaxHeader = 1 << 20;

constexpr std::string_view kSuffix = ".ids";
constexpr size_t kHashDigits = 16;

std::string file_stem(const std::string& index) {
  std::string safe;
  for (char c : index) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    safe += keep ? c : '_';
  }
  return safe.substr(0, 150);
}

class Reader {
 public:
  explicit Reader(const std::string& path) : in_(path, std::ios::binary) { XXH3_64bits_reset(state_); }
  ~Reader() { XXH3_freeState(state_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  bool read(void* out, size_t n) {
    in_.read(static_cast<char*>(out), static_cast<std::streamsize>(n));
    if (!in_ || static_cast<size_t>(in_.gcount()) != n) return false;
    XXH3_64bits_update(state_, out, n);
    return true;
  }
  bool check_digest() {
    uint64_t expected = XXH3_64bits_digest(state_);
    uint64_t stored = 0;
    in_.read(reinterpret_cast<char*>(&stored), sizeof stored);
    return in_ && stored == expected && in_.peek() == std::char_traits<char>::eof();
  }
  bool is_open() const { return in_.is_open(); }

 private:
  std::ifstream in_;
  XXH3_state_t* state_ = XXH3_createState();
};

}  // namespace

IdCache::IdCache(std::string dir, const std::string& index)
    : dir_(std::move(dir)), stem_(file_stem(index) + "-" + fmt::format("{:08x}", hash64(index) >> 32)) {}

std::string IdCache::path_for(const std::string& index_uuid) const {
  return (fs::path(dir_) / fmt::format("{}-{:016x}{}", stem_, hash64(index_uuid), kSuffix)).string();
}

bool IdCache::load(const IndexState& current, ExistingIds& ids, std::string& why) const {
  Reader in(path_for(current.uuid));
  if (!in.is_open()) {
    why = "no id cache yet";
    return false;
  }
  char magic[sizeof kMagic];
  uint32_t header_size = 0;
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof kMagic) != 0 ||
      !in.read(&header_size, sizeof header_size) || header_size > kMaxHeader) {
    why = "the id cache is not one of ours";
    return false;
  }
  std::string header(header_size, '\0');
  uint64_t count = 0;
  if (!in.read(header.data(), header.size()) || !in.read(&count, sizeof count)) {
    why = "the id cache is truncated";
    return false;
  }
  IndexState saved = IndexState::from_json(es::json::parse(header, nullptr, false).value("state", es::json::object()));
  if (saved.empty() || !current.same_as(saved)) {
    why = "the index changed since the id cache was saved";
    return false;
  }
  std::vector<IdEntry> entries;
  if (count > (1ULL << 36) / sizeof(IdEntry)) {
    why = "the id cache is damaged";
    return false;
  }
  entries.resize(count);
  if (!in.read(entries.data(), count * sizeof(IdEntry)) || !in.check_digest()) {
    why = "the id cache is truncated or damaged";
    return false;
  }
  ExistingIds restored;
  if (!restored.restore(std::move(entries))) {
    why = "the id cache is damaged";
    return false;
  }
  ids = std::move(restored);
  return true;
}

bool IdCache::save(const IndexState& state, const ExistingIds& ids, std::string& why) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  const std::string path = path_for(state.uuid);
  std::string tmp = fmt::format("{}.{}.tmp", path, getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    XXH3_state_t* hash = XXH3_createState();
    XXH3_64bits_reset(hash);
    auto put = [&](const void* data, size_t n) {
      out.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
      XXH3_64bits_update(hash, data, n);
    };
    std::string header = es::json{{"state", state.to_json()}}.dump();
    auto header_size = static_cast<uint32_t>(header.size());
    uint64_t count = ids.entries().size();
    put(kMagic, sizeof kMagic);
    put(&header_size, sizeof header_size);
    put(header.data(), header.size());
    put(&count, sizeof count);
    put(ids.entries().data(), count * sizeof(IdEntry));
    uint64_t digest = XXH3_64bits_digest(hash);
    XXH3_freeState(hash);
    out.write(reinterpret_cast<const char*>(&digest), sizeof digest);
    out.close();
    if (!out) {
      why = fmt::format("cannot write {}: {}", tmp, std::strerror(errno));
      fs::remove(tmp, ec);
      return false;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    why = fmt::format("cannot rename {}: {}", tmp, ec.message());
    fs::remove(tmp, ec);
    return false;
  }
  remove_except(path);
  return true;
}

void IdCache::remove() const { remove_except(""); }

void IdCache::remove_except(const std::string& keep) const {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    bool ours = name.size() == stem_.size() + 1 + kHashDigits + kSuffix.size() &&
                name.compare(0, stem_.size() + 1, stem_ + "-") == 0 && name.ends_with(kSuffix);
    if (ours && entry.path().string() != keep) fs::remove(entry.path(), ec);
  }
}

void WriteTally::written(const std::vector<IdEntry>& entries, long long operations) {
  operations_ += operations;
  std::lock_guard lock(mutex_);
  for (const IdEntry& e : entries) {
    if (blocks_.empty() || blocks_.back().size() == kBlock) {
      blocks_.emplace_back();
      blocks_.back().reserve(kBlock);
    }
    blocks_.back().push_back(e);
  }
}

std::vector<std::vector<IdEntry>> WriteTally::take() {
  std::vector<std::vector<IdEntry>> out;
  std::lock_guard lock(mutex_);
  out.swap(blocks_);
  return out;
}

}  // namespace connectors::sync
