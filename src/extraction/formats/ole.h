// OLE2 compound files (the container of .doc, .xls, .ppt, .msg, .vsd), read
// through libgsf, and the string encodings of the legacy Office formats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connectors::extraction::formats {

// A storage (directory) of an OLE2 file: the root, or a sub-storage such as an
// Outlook attachment. Holds a reference of libgsf's object; movable only.
class OleStorage {
 public:
  // The root storage of the OLE2 file at `path`. Throws ExtractionError when
  // the file cannot be opened or is not an OLE2 file.
  static OleStorage open(const std::filesystem::path& path);

  OleStorage(OleStorage&& other) noexcept;
  OleStorage& operator=(OleStorage&& other) noexcept;
  OleStorage(const OleStorage&) = delete;
  OleStorage& operator=(const OleStorage&) = delete;
  ~OleStorage();

  // Names of the streams and storages directly under this storage.
  std::vector<std::string> children() const;

  // The bytes of stream `name`, nullopt when there is no such stream. Throws
  // ExtractionError when it is bigger than `max_bytes` or cannot be read.
  std::optional<std::string> read(std::string_view name, std::size_t max_bytes) const;

  // Sub-storage `name`, nullopt when there is none (or it is a stream).
  std::optional<OleStorage> storage(std::string_view name) const;

 private:
  explicit OleStorage(void* infile) : infile_(infile) {}
  void* infile_;  // GsfInfile*
};

// A file in the temporary directory, removed when this goes.
class TemporaryFile {
 public:
  // An empty new file named "<prefix>XXXXXX<suffix>".
  TemporaryFile(std::string_view prefix, std::string_view suffix);
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The default cap of a stream read into memory: the framework's 10 MiB size
// gate keeps real files far below it; a lying directory entry does not.
inline constexpr std::size_t kMaxOleStreamBytes = 64u << 20;

// UTF-16LE code units (an odd last byte is dropped) as UTF-8; unpaired
// surrogates become U+FFFD.
std::string utf16le_to_utf8(std::string_view bytes);

// Windows-1252 bytes (the 8-bit text of Office files) as UTF-8.
std::string cp1252_to_utf8(std::string_view bytes);

// "Compressed" UTF-16 (each byte the low byte of a character whose high byte
// is 0: ISO-8859-1), as PowerPoint's TextBytesAtom and Excel's 8-bit strings
// hold it, as UTF-8.
std::string latin1_to_utf8(std::string_view bytes);

// The UTF-16 code unit of one Windows-1252 byte.
char16_t cp1252_unit(unsigned char byte);

// Bytes in Windows code page `codepage` (1252, 950, 65001, ...) as UTF-8;
// Windows-1252 when the code page is unknown or the bytes are not valid in it.
std::string codepage_to_utf8(std::string_view bytes, unsigned codepage);

// Little-endian integers at `offset` of `bytes`; the caller has checked bounds.
inline std::uint16_t le16(std::string_view bytes, std::size_t offset) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[offset]) |
                                    static_cast<unsigned char>(bytes[offset + 1]) << 8);
}
inline std::uint32_t le32(std::string_view bytes, std::size_t offset) {
  return static_cast<std::uint32_t>(le16(bytes, offset)) |
         static_cast<std::uint32_t>(le16(bytes, offset + 2)) << 16;
}

// A little-endian IEEE 754 double at `offset` (hosts are little-endian); the
// caller has checked bounds.
inline double le_double(std::string_view bytes, std::size_t offset) {
  double value = 0;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

}  // namespace connectors::extraction::formats
