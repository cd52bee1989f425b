#include "extraction/extract.h"

#include <algorithm>
#include <array>
#include <fstream>

#include "extraction/formats/doc.h"
#include "extraction/formats/markup.h"
#include "extraction/formats/msg.h"
#include "extraction/formats/odf.h"
#include "extraction/formats/ooxml.h"
#include "extraction/formats/pdf.h"
#include "extraction/formats/ppt.h"
#include "extraction/formats/rtf.h"
#include "extraction/formats/text.h"
#include "extraction/formats/vsd.h"
#include "extraction/formats/xls.h"
#include "extraction/formats/xlsb.h"
#include "extraction/plain_text.h"

namespace connectors::extraction {
namespace {

using TextOf = std::string (*)(const std::filesystem::path&);

struct Format {
  std::string_view extension;
  std::string_view family;
  TextOf text;
};

constexpr std::array kFormats = {
#define FILE_TYPE(extension, family, function) Format{extension, family, formats::function},
#include "extraction/file_types.def"
#undef FILE_TYPE
};

const Format* find_format(std::string_view extension) {
  const std::string lower = file_extension(std::string("x") + std::string(extension));
  for (const auto& format : kFormats) {
    if (format.extension == lower) return &format;
  }
  return nullptr;
}

// True when the file starts like plain text: no NUL or other control bytes but
// whitespace in its first 4 KiB. Every binary format of the list starts with
// a magic number that fails this.
bool looks_like_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[4096];
  in.read(head, sizeof head);
  const std::streamsize n = in.gcount();
  if (n <= 0) return false;
  for (std::streamsize i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(head[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
  }
  return true;
}

}  // namespace

std::string extract_file(const std::filesystem::path& path, std::string_view extension) {
  const Format* format = find_format(extension);
  if (format == nullptr) {
    throw std::invalid_argument("unsupported file type '" + std::string(extension) + "'");
  }
  try {
    return reduce_whitespace(format->text(path));
  } catch (const ExtractionError&) {
    // A text file under a document's extension ("notes.docx" that is not a
    // zip): its text, as Tika, which detects types by content, gives it.
    // Only for the zip and OLE2 families: their magic numbers are never text,
    // while a damaged RTF or PDF still starts like text.
    const bool container = format->family == "ooxml" || format->family == "odf" ||
                           format->family == "xlsb" || format->family == "doc" ||
                           format->family == "xls" || format->family == "ppt" ||
                           format->family == "msg" || format->family == "vsd";
    if (!container || !looks_like_text(path)) throw;
    return reduce_whitespace(formats::text_file(path));
  }
}

}  // namespace connectors::extraction
