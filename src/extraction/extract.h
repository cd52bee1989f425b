// The text of a file of one of the framework's types (TIKA_SUPPORTED_FILETYPES),
// in process. Runs parsers of untrusted bytes: the service calls it only
// through the worker processes of the isolation layer.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "extraction/file_types.h"

namespace connectors::extraction {

// A file whose type is known but whose bytes could not be read as that type
// (truncated, encrypted, malformed). The message is the reason, for the job.
class ExtractionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// UTF-8 text of the file at `path`, typed by `extension` (any case, with the
// dot), whitespace reduced as the framework's `_reduce_whitespace` does. Empty
// when the file has no text (an image-only PDF). Throws ExtractionError for a
// file that cannot be parsed, std::invalid_argument for an unsupported type.
std::string extract_file(const std::filesystem::path& path, std::string_view extension);

}  // namespace connectors::extraction
