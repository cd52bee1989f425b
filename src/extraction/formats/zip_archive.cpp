#include "extraction/formats/zip_archive.h"

#include <zip.h>

#include "extraction/extract.h"

namespace connectors::extraction::formats {

ZipArchive::ZipArchive(const std::filesystem::path& path) {
  int error = 0;
  archive_ = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive_ == nullptr) {
    zip_error_t details;
    zip_error_init_with_code(&details, error);
    std::string reason = zip_error_strerror(&details);
    zip_error_fini(&details);
    throw ExtractionError("not a readable zip archive (" + reason + ")");
  }
}

ZipArchive::~ZipArchive() { zip_discard(archive_); }

std::vector<std::string> ZipArchive::names() const {
  std::vector<std::string> out;
  zip_int64_t count = zip_get_num_entries(archive_, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive_, static_cast<zip_uint64_t>(i), 0);
    if (name != nullptr) out.emplace_back(name);
  }
  return out;
}

bool ZipArchive::contains(const std::string& name) const {
  return zip_name_locate(archive_, name.c_str(), 0) >= 0;
}

std::unique_ptr<ZipArchive::Entry> ZipArchive::open(const std::string& name, size_t limit) const {
  zip_file_t* file = zip_fopen(archive_, name.c_str(), 0);
  if (file == nullptr) {
    if (!contains(name)) throw ExtractionError("zip entry " + name + " missing");
    throw ExtractionError("zip entry " + name + " unreadable (" + zip_strerror(archive_) + ")");
  }
  return std::unique_ptr<Entry>(new Entry(file, name, limit));
}

std::string ZipArchive::read_all(const std::string& name, size_t limit) const {
  auto entry = open(name, limit);
  std::string out;
  char buffer[16384];
  while (size_t n = entry->read(buffer, sizeof buffer)) out.append(buffer, n);
  return out;
}

ZipArchive::Entry::Entry(zip_file* file, std::string name, size_t limit)
    : file_(file), name_(std::move(name)), limit_(limit) {}

ZipArchive::Entry::~Entry() { zip_fclose(file_); }

size_t ZipArchive::Entry::read(char* out, size_t size) {
  zip_int64_t n = zip_fread(file_, out, size);
  if (n < 0) {
    throw ExtractionError("zip entry " + name_ + " corrupt (" +
                          zip_error_strerror(zip_file_get_error(file_)) + ")");
  }
  done_ += static_cast<size_t>(n);
  if (done_ > limit_) {
    throw ExtractionError("zip entry " + name_ + " inflates beyond " + std::to_string(limit_) +
                          " bytes");
  }
  return static_cast<size_t>(n);
}

}  // namespace connectors::extraction::formats
