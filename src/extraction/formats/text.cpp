#include "extraction/formats/text.h"

#include <iconv.h>
#include <uchardet.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <memory>

#include "extraction/extract.h"
#include "extraction/plain_text.h"

namespace connectors::extraction::formats {
namespace {

struct Bom {
  std::string_view bytes;
  const char* charset;
};

// Longest first: the UTF-32LE mark begins with the UTF-16LE one.
constexpr Bom kBoms[] = {
    {std::string_view("\xFF\xFE\x00\x00", 4), "UTF-32LE"},
    {std::string_view("\x00\x00\xFE\xFF", 4), "UTF-32BE"},
    {"\xEF\xBB\xBF", "UTF-8"},
    {"\xFF\xFE", "UTF-16LE"},
    {"\xFE\xFF", "UTF-16BE"},
};

// What uchardet names the charset of `bytes`; "" when it cannot tell.
std::string detect_charset(std::string_view bytes) {
  std::unique_ptr<std::remove_pointer_t<uchardet_t>, decltype(&uchardet_delete)> detector(
      uchardet_new(), uchardet_delete);
  // A sample is enough to tell a charset and keeps detection fast on big files.
  constexpr size_t kSample = 1 << 20;
  uchardet_handle_data(detector.get(), bytes.data(), std::min(bytes.size(), kSample));
  uchardet_data_end(detector.get());
  const char* name = uchardet_get_charset(detector.get());
  return name == nullptr ? "" : name;
}

}  // namespace

std::string read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ExtractionError("cannot open " + path.filename().string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw ExtractionError("cannot read " + path.filename().string());
  return bytes;
}

std::string read_file_head(const std::filesystem::path& path, size_t size) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

bool is_valid_utf8(std::string_view bytes) { return sanitize_utf8(bytes) == bytes; }

std::string convert_to_utf8(std::string_view bytes, const std::string& charset) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    throw ExtractionError("unknown character set '" + charset + "'");
  }
  std::unique_ptr<void, int (*)(iconv_t)> guard(cd, iconv_close);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  char buffer[4096];
  auto* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  while (in_left > 0) {
    char* dst = buffer;
    size_t dst_left = sizeof buffer;
    size_t rc = iconv(cd, &in, &in_left, &dst, &dst_left);
    out.append(buffer, static_cast<size_t>(dst - buffer));
    if (rc != static_cast<size_t>(-1) || errno == E2BIG) continue;
    // EILSEQ or EINVAL (a truncated last character): replace one byte, go on.
    out += "\xEF\xBF\xBD";
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
  }
  return sanitize_utf8(out);
}

std::string decode_text(std::string_view bytes) {
  for (const auto& bom : kBoms) {
    if (bytes.substr(0, bom.bytes.size()) == bom.bytes) {
      return convert_to_utf8(bytes.substr(bom.bytes.size()), bom.charset);
    }
  }
  if (is_valid_utf8(bytes)) return std::string(bytes);
  std::string charset = detect_charset(bytes);
  if (charset.empty() || charset == "ASCII") charset = "WINDOWS-1252";
  try {
    return convert_to_utf8(bytes, charset);
  } catch (const ExtractionError&) {
    return sanitize_utf8(bytes);  // a name uchardet knows and iconv does not
  }
}

std::string text_file(const std::filesystem::path& path) {
  return decode_text(read_file_bytes(path));
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace connectors::extraction::formats
