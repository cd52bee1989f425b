// Paths and helpers of the legacy Office corpus (tests/fixtures/extraction/).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "extraction/extract.h"

namespace connectors::extraction::testing {

inline std::filesystem::path fixture(const std::string& relative) {
  return std::filesystem::path(REPO_ROOT) / "tests/fixtures/extraction" / relative;
}

// The extracted text of a corpus file, typed by its own extension.
inline std::string extract_fixture(const std::string& relative) {
  const auto path = fixture(relative);
  return extract_file(path, path.extension().string());
}

// The reason extracting corpus file `relative` as an `extension` file fails
// ("" when it does not).
inline std::string failure_as(const std::string& relative, const std::string& extension) {
  try {
    extract_file(fixture(relative), extension);
  } catch (const ExtractionError& error) {
    return error.what();
  }
  return "";
}

// The reason extracting corpus file `relative`, typed by its own extension, fails.
inline std::string failure_of(const std::string& relative) {
  return failure_as(relative, fixture(relative).extension().string());
}

// The reason extracting `bytes` as a file named `name` fails ("" when it does not).
inline std::string failure_of_bytes(const std::string& name, const std::string& bytes) {
  const auto path = std::filesystem::temp_directory_path() / ("legacy_test_" + name);
  std::ofstream(path, std::ios::binary) << bytes;
  std::string reason;
  try {
    extract_file(path, path.extension().string());
  } catch (const ExtractionError& error) {
    reason = error.what();
  }
  std::filesystem::remove(path);
  return reason;
}

}  // namespace connectors::extraction::testing
