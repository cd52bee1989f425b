// A read-only zip archive (OOXML, ODF) with caps against zip bombs: every
// entry is read through a stream that stops at a byte limit, so no entry is
// ever inflated beyond it, whatever its header claims.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct zip;
struct zip_file;

namespace connectors::extraction::formats {

// Inflated bytes one entry may give before reading it fails (256 MiB).
inline constexpr size_t kMaxZipEntryBytes = size_t{256} << 20;

class ZipArchive {
 public:
  // ExtractionError when the file is not a readable zip archive.
  explicit ZipArchive(const std::filesystem::path& path);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Names of all entries, in the archive's order.
  std::vector<std::string> names() const;
  bool contains(const std::string& name) const;

  // One entry, read in pieces; ExtractionError past `limit` bytes or when the
  // entry is corrupt (bad CRC, truncated deflate stream).
  class Entry {
   public:
    ~Entry();
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    // Up to `size` bytes into `out`; 0 at the end.
    size_t read(char* out, size_t size);
    const std::string& name() const { return name_; }

   private:
    friend class ZipArchive;
    Entry(zip_file* file, std::string name, size_t limit);
    zip_file* file_;
    std::string name_;
    size_t limit_;
    size_t done_ = 0;
  };

  // ExtractionError "zip entry NAME missing" when there is none.
  std::unique_ptr<Entry> open(const std::string& name, size_t limit = kMaxZipEntryBytes) const;

  // The whole entry (for small ones: relationships, manifests).
  std::string read_all(const std::string& name, size_t limit = kMaxZipEntryBytes) const;

 private:
  zip* archive_;
};

}  // namespace connectors::extraction::formats
