#include "extraction/formats/ole.h"

#include <glib.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-input.h>
#include <stdlib.h>
#include <unistd.h>

#include <mutex>
#include <utility>

#include "extraction/extract.h"
#include "extraction/formats/text.h"

namespace connectors::extraction::formats {
namespace {

GsfInfile* as_infile(void* infile) { return static_cast<GsfInfile*>(infile); }

// Windows-1252's 0x80..0x9F (the rest of its upper half is Latin-1); 0xFFFD
// for its five undefined bytes.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

}  // namespace

OleStorage OleStorage::open(const std::filesystem::path& path) {
  // libgsf logs a warning per oddity of a corrupt file to stderr; the
  // ExtractionError that follows says what the job needs.
  static std::once_flag quiet;
  std::call_once(quiet, [] {
    g_log_set_handler(
        "libgsf:msole",
        static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL |
                                    G_LOG_LEVEL_MESSAGE),
        [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
  });
  GError* error = nullptr;
  GsfInput* input = gsf_input_stdio_new(path.c_str(), &error);
  if (input == nullptr) {
    if (error != nullptr) g_error_free(error);
    throw ExtractionError("cannot open " + path.filename().string());
  }
  GsfInfile* infile = gsf_infile_msole_new(input, &error);
  g_object_unref(input);
  if (infile == nullptr) {
    if (error != nullptr) g_error_free(error);
    throw ExtractionError("not an OLE2 file");
  }
  return OleStorage(infile);
}

OleStorage::OleStorage(OleStorage&& other) noexcept
    : infile_(std::exchange(other.infile_, nullptr)) {}

OleStorage& OleStorage::operator=(OleStorage&& other) noexcept {
  if (this != &other) {
    if (infile_ != nullptr) g_object_unref(as_infile(infile_));
    infile_ = std::exchange(other.infile_, nullptr);
  }
  return *this;
}

OleStorage::~OleStorage() {
  if (infile_ != nullptr) g_object_unref(as_infile(infile_));
}

std::vector<std::string> OleStorage::children() const {
  std::vector<std::string> names;
  const int count = gsf_infile_num_children(as_infile(infile_));
  for (int i = 0; i < count; ++i) {
    const char* name = gsf_infile_name_by_index(as_infile(infile_), i);
    if (name != nullptr) names.emplace_back(name);
  }
  return names;
}

std::optional<std::string> OleStorage::read(std::string_view name, std::size_t max_bytes) const {
  GsfInput* child = gsf_infile_child_by_name(as_infile(infile_), std::string(name).c_str());
  if (child == nullptr) return std::nullopt;
  if (GSF_IS_INFILE(child) && gsf_infile_num_children(GSF_INFILE(child)) >= 0) {
    g_object_unref(child);
    return std::nullopt;  // a storage, not a stream
  }
  const gsf_off_t size = gsf_input_size(child);
  if (size < 0 || static_cast<std::uint64_t>(size) > max_bytes) {
    g_object_unref(child);
    throw ExtractionError("OLE2 stream " + std::string(name) + " is too big (" +
                          std::to_string(size) + " bytes)");
  }
  std::string bytes(static_cast<std::size_t>(size), '\0');
  const bool ok = size == 0 || gsf_input_read(child, static_cast<std::size_t>(size),
                                              reinterpret_cast<guint8*>(bytes.data())) != nullptr;
  g_object_unref(child);
  if (!ok) throw ExtractionError("OLE2 stream " + std::string(name) + " is truncated");
  return bytes;
}

std::optional<OleStorage> OleStorage::storage(std::string_view name) const {
  GsfInput* child = gsf_infile_child_by_name(as_infile(infile_), std::string(name).c_str());
  if (child == nullptr) return std::nullopt;
  if (!GSF_IS_INFILE(child) || gsf_infile_num_children(GSF_INFILE(child)) < 0) {
    g_object_unref(child);
    return std::nullopt;
  }
  return OleStorage(child);
}

TemporaryFile::TemporaryFile(std::string_view prefix, std::string_view suffix) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / prefix).string() + "XXXXXX" + std::string(suffix);
  const int fd = mkstemps(pattern.data(), static_cast<int>(suffix.size()));
  if (fd < 0) throw ExtractionError("cannot create a temporary file");
  ::close(fd);
  path_ = pattern;
}

TemporaryFile::~TemporaryFile() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

std::string utf16le_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  const std::size_t units = bytes.size() / 2;
  for (std::size_t i = 0; i < units; ++i) {
    char32_t unit = le16(bytes, 2 * i);
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < units) {
      const char32_t low = le16(bytes, 2 * (i + 1));
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        ++i;
        continue;
      }
    }
    if (unit >= 0xD800 && unit <= 0xDFFF) unit = 0xFFFD;
    append_utf8(out, unit);
  }
  return out;
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) append_utf8(out, static_cast<unsigned char>(c));
  return out;
}

char16_t cp1252_unit(unsigned char byte) {
  return byte >= 0x80 && byte < 0xA0 ? kCp1252High[byte - 0x80] : char16_t{byte};
}

std::string cp1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) append_utf8(out, cp1252_unit(static_cast<unsigned char>(c)));
  return out;
}

std::string codepage_to_utf8(std::string_view bytes, unsigned codepage) {
  if (codepage == 1252 || codepage == 0) return cp1252_to_utf8(bytes);
  if (codepage == 1200) return utf16le_to_utf8(bytes);
  // iconv's names: Big5 and the Korean Johab have no "CPnnn" alias in glibc.
  const std::string charset = codepage == 65001   ? "UTF-8"
                              : codepage == 950   ? "BIG5"
                              : codepage == 1361  ? "JOHAB"
                              : codepage == 10000 ? "MACINTOSH"
                                                  : "CP" + std::to_string(codepage);
  gsize written = 0;
  gchar* converted = g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8",
                               charset.c_str(), nullptr, &written, nullptr);
  if (converted == nullptr) return cp1252_to_utf8(bytes);
  std::string out(converted, written);
  g_free(converted);
  return out;
}

}  // namespace connectors::extraction::formats
