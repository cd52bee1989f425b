// libFuzzer harness of one parser entry point: the input is written to a file
// with the harness's extension (FUZZ_EXTENSION) and extracted as the worker
// does. An ExtractionError is the parser refusing bad bytes, as it should; a
// crash, a sanitizer report, a leak or a timeout is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "extraction/extract.h"

namespace {

const std::filesystem::path& input_path() {
  static const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                            ("fuzz-" + std::to_string(getpid()) + FUZZ_EXTENSION);
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(input_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    (void)connectors::extraction::extract_file(input_path(), FUZZ_EXTENSION);
  } catch (const connectors::extraction::ExtractionError&) {
  }
  return 0;
}
