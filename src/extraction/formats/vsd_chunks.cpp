#include "extraction/formats/vsd_chunks.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <tuple>

#include "extraction/formats/ole.h"

// Layout (as documented by vsdump and Apache POI's HDGF): a 0x24-byte header
// ("Visio (TM) Drawing\r\n", the version at 0x1A), then the pointer to the
// trailer stream at 0x24. A pointer gives a stream's type, offset, length and
// format; the format says whether the stream is compressed and whether it
// holds more pointers or chunks. Chunks have a header (type, length) and some a
// trailer and separator; type 14 is a shape's text.

namespace connectors::extraction::formats {
namespace {

constexpr std::string_view kSignature = "Visio (TM) Drawing\r\n";
constexpr std::uint32_t kTrailerType = 0x14;
constexpr std::uint32_t kTextChunk = 0x0e;
constexpr std::size_t kTextOffset = 8;       // a Text chunk's body starts with 8 bytes of its own
constexpr std::size_t kMaxStreams = 100000;  // the most distinct streams a drawing may point to

struct Pointer {
  std::uint32_t type = 0;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::uint16_t format = 0;
};

bool format_between(const Pointer& pointer, unsigned low, unsigned high) {
  return low <= pointer.format && pointer.format < high;
}

class Reader {
 public:
  Reader(std::string_view document, unsigned version) : document_(document), version_(version) {}

  void read_trailer() {
    if (document_.size() < 0x24 + pointer_size()) return;
    walk(pointer_at(document_, 0x24), 0);
  }

  std::vector<std::string> texts;

 private:
  std::size_t pointer_size() const { return version_ >= 6 ? 18 : 16; }
  std::size_t chunk_header_size() const { return version_ >= 6 ? 19 : 12; }

  Pointer pointer_at(std::string_view bytes, std::size_t at) const {
    if (version_ >= 6) {
      return {le32(bytes, at), le32(bytes, at + 8), le32(bytes, at + 12), le16(bytes, at + 16)};
    }
    return {le16(bytes, at), le32(bytes, at + 8), le32(bytes, at + 12), le16(bytes, at + 2)};
  }

  bool holds_pointers(const Pointer& pointer) const {
    if (pointer.type == kTrailerType) return true;
    if (version_ < 6 && pointer.type == 0x16) return false;
    return format_between(pointer, 0x1d, 0x1f) || format_between(pointer, 0x50, 0x60);
  }

  bool holds_chunks(const Pointer& pointer) const {
    if (version_ < 6 && (pointer.type == 0x15 || pointer.type == 0x18)) return true;
    return format_between(pointer, 0xd0, 0xdf);
  }

  // The bytes of the stream `pointer` points to, decompressed; empty when it
  // lies outside the document or the decompression budget is spent.
  std::string contents(const Pointer& pointer) {
    if (pointer.offset > document_.size() || pointer.length > document_.size() - pointer.offset) {
      return {};
    }
    const std::string_view stored = document_.substr(pointer.offset, pointer.length);
    std::string data = (pointer.format & 2) != 0 ? visio_decompress(stored, budget_)
                                                 : std::string(stored.substr(0, budget_));
    budget_ -= data.size();
    return data;
  }

  void walk(const Pointer& pointer, int depth) {
    if (depth > kMaxVisioPointerDepth || budget_ == 0 || seen_.size() >= kMaxStreams) return;
    if (!seen_.emplace(pointer.offset, pointer.length, pointer.format).second) return;
    const bool pointers = holds_pointers(pointer);
    const bool chunks = !pointers && holds_chunks(pointer);
    if (!pointers && !chunks) return;
    std::string data = contents(pointer);
    // A compressed stream starts with a 4-byte block header; chunk offsets
    // count it, pointer offsets do not.
    std::string_view bytes = data;
    if (pointers && (pointer.format & 2) != 0)
      bytes.remove_prefix(std::min<std::size_t>(4, bytes.size()));
    if (pointers) {
      walk_pointers(pointer, bytes, depth);
    } else {
      read_chunks(bytes);
    }
  }

  void walk_pointers(const Pointer& pointer, std::string_view bytes, int depth) {
    std::size_t count_at = 0;
    std::size_t count = 0;
    std::size_t first = 0;
    if (version_ >= 6) {
      if (bytes.size() < 4) return;
      count_at = le32(bytes, 0);
      if (count_at > bytes.size() || bytes.size() - count_at < 8) return;
      count = le32(bytes, count_at);
      first = count_at + 8;  // the count and 4 unknown bytes
    } else {
      switch (pointer.type) {
        case 0x1d:
        case 0x4e:
          count_at = 30;
          break;
        case 0x1e:
          count_at = 54;
          break;
        case 0x14:
          count_at = 130;
          break;
        default:
          count_at = 10;
      }
      if (bytes.size() < count_at + 2) return;
      count = le16(bytes, count_at);
      first = count_at + 2;
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t at = first + i * pointer_size();
      if (at > bytes.size() || bytes.size() - at < pointer_size()) return;
      walk(pointer_at(bytes, at), depth + 1);
    }
  }

  // Visio 2002/2003 chunks of some types (and flags) end with an 8-byte
  // trailer and a 4-byte separator that their length does not count.
  std::size_t chunk_tail(std::string_view header) const {
    if (version_ < 6) return 0;
    const std::uint32_t type = le32(header, 0);
    const std::uint32_t unknown1 = le32(header, 8);
    const unsigned unknown2 = le16(header, 16);
    const unsigned unknown3 = static_cast<unsigned char>(header[18]);
    bool trailer = unknown1 != 0;
    switch (type) {
      case 0x2c:
      case 0x65:
      case 0x66:
      case 0x69:
      case 0x6a:
      case 0x6b:
      case 0x70:
      case 0x71:
        trailer = true;
        break;
      default:
        break;
    }
    bool separator = false;
    if (version_ > 6) {
      if (type == 0x1f || type == 0xc9) {
        separator = false;
      } else if (type == 0x69) {
        separator = true;
      } else if ((type == 0xa9 || type == 0xaa || type == 0xb4 || type == 0xb6) && unknown2 == 2 &&
                 unknown3 == 0x54) {
        separator = true;
      } else {
        separator =
            (unknown2 == 2 && unknown3 == 0x55) || (unknown2 == 3 && unknown3 != 0x50) || trailer;
      }
    }
    return (trailer ? 8 : 0) + (separator ? 4 : 0);
  }

  void read_chunks(std::string_view bytes) {
    const std::size_t header_size = chunk_header_size();
    std::size_t at = 0;
    while (at <= bytes.size() && bytes.size() - at >= header_size) {
      const std::string_view header = bytes.substr(at, header_size);
      const std::uint32_t type = version_ >= 6 ? le32(header, 0) : le16(header, 0);
      const std::size_t length = version_ >= 6 ? le32(header, 12) : le32(header, 8);
      const std::string_view body = bytes.substr(at + header_size, length);
      if (type == kTextChunk) add_text(body);
      if (length > bytes.size() - at - header_size) return;  // cut short: the last chunk
      at += header_size + length + chunk_tail(header);
    }
  }

  // Visio 5 and 2000 store 8-bit text, Visio 2002/2003 UTF-16LE; both end at a NUL.
  void add_text(std::string_view body) {
    if (body.size() <= kTextOffset) return;
    std::string_view raw = body.substr(kTextOffset);
    std::u16string units;
    if (version_ > 6) {
      for (std::size_t i = 0; i + 1 < raw.size(); i += 2) {
        const char16_t unit = le16(raw, i);
        if (unit == 0) break;
        units.push_back(unit);
      }
    } else {
      for (const char byte : raw) {
        if (byte == 0) break;
        units.push_back(cp1252_unit(static_cast<unsigned char>(byte)));
      }
    }
    std::string bytes;
    for (const char16_t unit : units) {
      const char16_t shown = unit == 0x1e ? char16_t{0xfffc} : unit;
      bytes.push_back(static_cast<char>(shown & 0xff));
      bytes.push_back(static_cast<char>(shown >> 8));
    }
    std::string text = utf16le_to_utf8(bytes);
    if (text.find_first_not_of(" \t\r\n") != std::string::npos) texts.push_back(std::move(text));
  }

  std::string_view document_;
  unsigned version_;
  std::size_t budget_ = kMaxVisioStreamBytes;
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint16_t>> seen_;
};

}  // namespace

std::string visio_decompress(std::string_view compressed, std::size_t max_bytes) {
  constexpr std::size_t kWindow = 4096;
  std::string window(kWindow, '\0');
  std::string out;
  std::size_t position = 0;
  std::size_t at = 0;
  const auto emit = [&](char byte) {
    window[position++ % kWindow] = byte;
    out.push_back(byte);
  };
  while (at < compressed.size() && out.size() < max_bytes) {
    const auto flags = static_cast<unsigned char>(compressed[at++]);
    for (unsigned bit = 0; bit < 8 && at < compressed.size() && out.size() < max_bytes; ++bit) {
      if ((flags >> bit) & 1u) {
        emit(compressed[at++]);
        continue;
      }
      if (compressed.size() - at < 2) return out;
      const auto low = static_cast<unsigned char>(compressed[at]);
      const auto high = static_cast<unsigned char>(compressed[at + 1]);
      at += 2;
      const std::size_t length = (high & 0x0fu) + 3;
      std::size_t from = ((high & 0xf0u) << 4) | low;
      from = from > 4078 ? from - 4078 : from + 18;  // the window starts 18 bytes in
      for (std::size_t i = 0; i < length && out.size() < max_bytes; ++i) {
        emit(window[(from + i) % kWindow]);
      }
    }
  }
  return out;
}

std::vector<std::string> visio_chunk_texts(std::string_view document) {
  if (document.size() < 0x24 || document.substr(0, kSignature.size()) != kSignature) return {};
  const unsigned version = le16(document, 0x1a);
  if (version < 5) return {};  // Visio 4 and older: another layout
  Reader reader(document, version);
  reader.read_trailer();
  return std::move(reader.texts);
}

}  // namespace connectors::extraction::formats
