// The text of a file of one of the framework's types (TIKA_SUPPORTED_FILETYPES),
// in process. Runs parsers of untrusted bytes: the service calls it only
// through the worker processes of the isolation layer.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace connectors::extraction {

// A file whose type is known but whose bytes could not be read as that type
// (truncated, encrypted, malformed). The message is the reason, for the job.
class ExtractionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The 31 extensions of the framework's TIKA_SUPPORTED_FILETYPES, lower case
// with the dot, in its order.
const std::vector<std::string_view>& supported_extensions();

// True when `extension` (any case, with the dot) is one of them.
bool is_supported_extension(std::string_view extension);

// The name of the parser family for `extension` ("pdf", "ooxml", "text", ...),
// for logs and `connectors extract`; "" for an unsupported extension.
std::string_view format_of(std::string_view extension);

// UTF-8 text of the file at `path`, typed by `extension` (any case, with the
// dot), whitespace reduced as the framework's `_reduce_whitespace` does. Empty
// when the file has no text (an image-only PDF). Throws ExtractionError for a
// file that cannot be parsed, std::invalid_argument for an unsupported type.
std::string extract_file(const std::filesystem::path& path, std::string_view extension);

}  // namespace connectors::extraction
