// The extraction test corpus (tests/fixtures/extraction/<family>/), and
// scratch files for the corrupt-input cases.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "extraction/extract.h"

namespace connectors::extraction::testing {

inline std::filesystem::path corpus_file(const std::string& family, const std::string& name) {
  return std::filesystem::path(REPO_ROOT) / "tests/fixtures/extraction" / family / name;
}

// extract_file on a corpus file, typed by its own extension.
inline std::string extract_corpus(const std::string& family, const std::string& name) {
  auto path = corpus_file(family, name);
  return extract_file(path, path.extension().string());
}

// The reason extract_file gives for the file, or "no error".
inline std::string error_of(const std::filesystem::path& path) {
  try {
    extract_file(path, path.extension().string());
  } catch (const ExtractionError& e) {
    return e.what();
  }
  return "no error";
}

// A file under the temp directory holding `bytes`, removed with the object.
class ScratchFile {
 public:
  ScratchFile(const std::string& name, const std::string& bytes)
      : path_(std::filesystem::temp_directory_path() / ("extraction_test_" + name)) {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~ScratchFile() { std::filesystem::remove(path_); }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string extract() const { return extract_file(path_, path_.extension().string()); }

 private:
  std::filesystem::path path_;
};

// The first `size` bytes of a corpus file: a truncated document.
inline std::string corpus_prefix(const std::string& family, const std::string& name, size_t size) {
  std::ifstream in(corpus_file(family, name), std::ios::binary);
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

}  // namespace connectors::extraction::testing
