#include "extraction/formats/doc.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "extraction/extract.h"
#include "extraction/formats/ole.h"

namespace connectors::extraction::formats {
namespace {

// FibBase ([MS-DOC] 2.5.2): identifier, version, flags; where the text starts
// and ends in Word 6/95 files.
constexpr std::uint16_t kWordIdent = 0xA5EC, kWord6Ident = 0xA5DC;
constexpr std::size_t kFibNFib = 0x02, kFibFlags = 0x0A, kFibFcMin = 0x18, kFibFcMac = 0x1C,
                      kFibBaseSize = 32;
constexpr std::uint16_t kFlagComplex = 0x0004, kFlagEncrypted = 0x0100, kFlag1Table = 0x0200,
                        kFlagObfuscated = 0x8000;
// nFib below this: Word 6/95, whose FIB has no variable-length tail.
constexpr std::uint16_t kFirstWord97Fib = 106;
// Index of fcClx/lcbClx in FibRgFcLcb97 (pairs of 32-bit fc, lcb).
constexpr std::size_t kClxPairIndex = 33;
// Clx ([MS-DOC] 2.9.38): Prc entries (clxt 1) then one Pcdt (clxt 2).
constexpr unsigned char kClxtPrc = 0x01, kClxtPcdt = 0x02;
constexpr std::size_t kPcdSize = 8;
constexpr std::uint32_t kFcCompressed = 0x40000000, kFcMask = 0x3FFFFFFF;

// Special characters of the text ([MS-DOC] 2.8.25, 2.16.19).
constexpr char16_t kFieldBegin = 0x13, kFieldSeparator = 0x14, kFieldEnd = 0x15, kCellMark = 0x07,
                   kParagraph = 0x0D, kLineBreak = 0x0B, kPageBreak = 0x0C, kTab = 0x09,
                   kNonBreakingHyphen = 0x1E;
constexpr int kMaxFieldDepth = 64;

// Turns Word's characters into UTF-16LE text: fields keep only their result
// (between separator and end), special characters become tabs and newlines,
// other controls (pictures, note marks, optional hyphens) are dropped.
class TextBuilder {
 public:
  void add(char16_t c) {
    if (c == kFieldBegin) {
      if (depth_ < kMaxFieldDepth) in_code_[depth_] = true;
      ++depth_;
    } else if (c == kFieldSeparator) {
      if (depth_ > 0 && depth_ <= kMaxFieldDepth) in_code_[depth_ - 1] = false;
    } else if (c == kFieldEnd) {
      if (depth_ > 0) --depth_;
    } else if (!in_field_code()) {
      if (c == kCellMark || c == kTab) {
        put(u'\t');
      } else if (c == kParagraph || c == kLineBreak || c == kPageBreak) {
        put(u'\n');
      } else if (c == kNonBreakingHyphen) {
        put(u'-');
      } else if (c >= 0x20) {
        put(c);
      }
    }
  }
  std::string utf8() const { return utf16le_to_utf8(utf16_); }

 private:
  bool in_field_code() const {
    for (int i = 0; i < depth_ && i < kMaxFieldDepth; ++i) {
      if (in_code_[i]) return true;
    }
    return false;
  }
  void put(char16_t c) {
    utf16_ += static_cast<char>(c & 0xFF);
    utf16_ += static_cast<char>(c >> 8);
  }
  std::string utf16_;
  int depth_ = 0;
  bool in_code_[kMaxFieldDepth] = {};
};

void add_cp1252(TextBuilder& text, std::string_view bytes) {
  for (const char c : bytes) text.add(cp1252_unit(static_cast<unsigned char>(c)));
}

void add_utf16(TextBuilder& text, std::string_view bytes) {
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) text.add(le16(bytes, i));
}

// The PlcPcd of the Clx at [fc, fc + lcb) of the table stream.
std::string_view piece_table(std::string_view table, std::uint32_t fc, std::uint32_t lcb) {
  if (fc > table.size() || lcb > table.size() - fc) {
    throw ExtractionError("piece table outside the table stream");
  }
  const std::string_view clx = table.substr(fc, lcb);
  std::size_t offset = 0;
  while (offset < clx.size() && static_cast<unsigned char>(clx[offset]) == kClxtPrc) {
    if (offset + 3 > clx.size()) break;
    offset += 3 + le16(clx, offset + 1);  // clxt, cbGrpprl, grpprl
  }
  if (offset + 5 > clx.size() || static_cast<unsigned char>(clx[offset]) != kClxtPcdt) {
    throw ExtractionError("malformed piece table (no Pcdt)");
  }
  const std::uint32_t size = le32(clx, offset + 1);
  if (size > clx.size() - offset - 5) throw ExtractionError("piece table longer than its Clx");
  return clx.substr(offset + 5, size);
}

// Word 97-2003: every piece of the piece table, 8-bit or UTF-16.
std::string word97_text(const OleStorage& root, std::string_view word, std::uint16_t flags) {
  // FibBase, csw + fibRgW, cslw + fibRgLw, cbRgFcLcb + fibRgFcLcbBlob.
  std::size_t offset = kFibBaseSize;
  if (offset + 2 > word.size()) throw ExtractionError("truncated FIB");
  offset += 2 + 2 * std::size_t{le16(word, offset)};
  if (offset + 2 > word.size()) throw ExtractionError("truncated FIB");
  offset += 2 + 4 * std::size_t{le16(word, offset)};
  if (offset + 2 > word.size()) throw ExtractionError("truncated FIB");
  const std::size_t pairs = le16(word, offset);
  offset += 2;
  if (pairs <= kClxPairIndex || offset + 8 * (kClxPairIndex + 1) > word.size()) {
    throw ExtractionError("truncated FIB (no fcClx)");
  }
  const std::uint32_t fc_clx = le32(word, offset + 8 * kClxPairIndex);
  const std::uint32_t lcb_clx = le32(word, offset + 8 * kClxPairIndex + 4);

  const char* table_name = (flags & kFlag1Table) != 0 ? "1Table" : "0Table";
  const auto table = root.read(table_name, kMaxOleStreamBytes);
  if (!table) throw ExtractionError(std::string("no ") + table_name + " stream");
  const std::string_view plc = piece_table(*table, fc_clx, lcb_clx);
  if (plc.size() < 4 || (plc.size() - 4) % (4 + kPcdSize) != 0) {
    throw ExtractionError("malformed piece table (size " + std::to_string(plc.size()) + ")");
  }
  const std::size_t pieces = (plc.size() - 4) / (4 + kPcdSize);
  TextBuilder text;
  for (std::size_t i = 0; i < pieces; ++i) {
    const std::uint32_t cp_start = le32(plc, 4 * i);
    const std::uint32_t cp_end = le32(plc, 4 * (i + 1));
    if (cp_end < cp_start) throw ExtractionError("malformed piece table (decreasing positions)");
    const std::size_t chars = cp_end - cp_start;
    const std::uint32_t fc = le32(plc, 4 * (pieces + 1) + kPcdSize * i + 2);
    const bool compressed = (fc & kFcCompressed) != 0;
    const std::size_t start = compressed ? (fc & kFcMask) / 2 : (fc & kFcMask);
    const std::size_t bytes = compressed ? chars : 2 * chars;
    if (start > word.size() || bytes > word.size() - start) {
      throw ExtractionError("text piece " + std::to_string(i) + " outside the WordDocument stream");
    }
    if (compressed) {
      add_cp1252(text, word.substr(start, bytes));
    } else {
      add_utf16(text, word.substr(start, bytes));
    }
  }
  return text.utf8();
}

// Word 6/95: one run of 8-bit text between fcMin and fcMac, unless fast-saved.
std::string word6_text(std::string_view word, std::uint16_t flags) {
  if ((flags & kFlagComplex) != 0) {
    throw ExtractionError("Word 6/95 fast-saved format not supported");
  }
  const std::uint32_t start = le32(word, kFibFcMin);
  const std::uint32_t end = le32(word, kFibFcMac);
  if (end < start || end > word.size()) throw ExtractionError("Word 6/95 text outside its stream");
  TextBuilder text;
  add_cp1252(text, word.substr(start, end - start));
  return text.utf8();
}

}  // namespace

std::string doc_text(const std::filesystem::path& path) {
  const OleStorage root = OleStorage::open(path);
  const auto stream = root.read("WordDocument", kMaxOleStreamBytes);
  if (!stream) throw ExtractionError("no WordDocument stream (not a Word document)");
  const std::string_view word = *stream;
  if (word.size() < kFibBaseSize || (le16(word, 0) != kWordIdent && le16(word, 0) != kWord6Ident)) {
    throw ExtractionError("not a Word document (bad FIB identifier)");
  }
  const std::uint16_t flags = le16(word, kFibFlags);
  if ((flags & (kFlagEncrypted | kFlagObfuscated)) != 0) {
    throw ExtractionError("encrypted document");
  }
  if (le16(word, kFibNFib) < kFirstWord97Fib) return word6_text(word, flags);
  return word97_text(root, word, flags);
}

}  // namespace connectors::extraction::formats
