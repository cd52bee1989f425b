#include "extraction/formats/text.h"

#include <fstream>
#include <iterator>

#include "extraction/extract.h"
#include "extraction/plain_text.h"

namespace connectors::extraction::formats {

std::string text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ExtractionError("cannot open " + path.filename().string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return sanitize_utf8(bytes);
}

}  // namespace connectors::extraction::formats
