#include "extraction/formats/xlsb.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "extraction/extract.h"
#include "extraction/formats/cell_format.h"
#include "extraction/formats/ole.h"
#include "extraction/formats/ooxml.h"
#include "extraction/formats/opc.h"
#include "extraction/formats/xls_format.h"

namespace connectors::extraction::formats {
namespace {

// BIFF12 record types of [MS-XLSB] 2.3 read here.
constexpr std::uint32_t kRowHdr = 0, kCellRk = 2, kCellBool = 4, kCellReal = 5, kCellSt = 6,
                        kCellIsst = 7, kFmlaString = 8, kFmlaNum = 9, kFmlaBool = 10, kSstItem = 19,
                        kCellRString = 62, kBundleSh = 156, kBeginHeaderFooter = 479,
                        kCommentText = 637, kFmt = 44, kXf = 47, kBeginCellXfs = 617,
                        kEndCellXfs = 618, kWbProp = 153;
// Every cell record starts with its column and style (Cell, 8 bytes).
constexpr std::size_t kCellHeader = 8;
// An entry inflated into memory: real workbooks' are far smaller (the size
// gate is 10 MiB compressed); a zip bomb's are not.
constexpr std::size_t kMaxEntryBytes = std::size_t{64} << 20;

struct Record {
  std::uint32_t type;
  std::string_view body;
};

// The records of one part, each header and length checked.
class RecordReader {
 public:
  RecordReader(std::string_view bytes, std::string_view part) : bytes_(bytes), part_(part) {}

  std::optional<Record> next() {
    if (offset_ >= bytes_.size()) return std::nullopt;
    // Type: 1-2 bytes, size: 1-4 bytes, 7 bits each, high bit = "more".
    std::uint32_t type = 0;
    for (int i = 0; i < 2; ++i) {
      const unsigned char byte = take_byte();
      type |= static_cast<std::uint32_t>(byte & 0x7F) << (7 * i);
      if ((byte & 0x80) == 0) break;
    }
    std::uint32_t size = 0;
    for (int i = 0; i < 4; ++i) {
      const unsigned char byte = take_byte();
      size |= static_cast<std::uint32_t>(byte & 0x7F) << (7 * i);
      if ((byte & 0x80) == 0) break;
    }
    if (size > bytes_.size() - offset_) fail();
    const Record record{type, bytes_.substr(offset_, size)};
    offset_ += size;
    return record;
  }

 private:
  unsigned char take_byte() {
    if (offset_ >= bytes_.size()) fail();
    return static_cast<unsigned char>(bytes_[offset_++]);
  }
  [[noreturn]] void fail() const {
    throw ExtractionError("truncated record at byte " + std::to_string(offset_) + " of " +
                          std::string(part_));
  }
  std::string_view bytes_;
  std::string_view part_;
  std::size_t offset_ = 0;
};

// XLWideString at `offset`: a 32-bit count of UTF-16 units, then the units.
// Sets `offset` past it; nullopt when it overruns the record (or is null).
std::optional<std::string> wide_string(std::string_view body, std::size_t& offset) {
  if (offset > body.size() || body.size() - offset < 4) return std::nullopt;
  const std::uint32_t units = le32(body, offset);
  if (units > (body.size() - offset - 4) / 2) return std::nullopt;
  std::string text = utf16le_to_utf8(body.substr(offset + 4, 2 * std::size_t{units}));
  offset += 4 + 2 * std::size_t{units};
  return text;
}

// The number formats of the workbook: per cell XF (a cell's style index),
// its format code.
struct Styles {
  std::vector<std::string> cell_formats;
  bool date1904 = false;  // BrtWbProp's f1904: serials count from 1904

  std::string number(double value, std::string_view cell) const {
    const std::uint32_t style = le32(cell, 4) & 0xFFFFFF;  // Cell.iStyleRef
    return excel_formatted_number(
        value, style < cell_formats.size() ? std::string_view(cell_formats[style]) : "", date1904);
  }
};

// The text of one cell record, nullopt for records that are not cells.
std::optional<std::string> cell_text(const Record& record, const Styles& styles,
                                     const std::vector<std::string>& strings) {
  const std::string_view body = record.body;
  std::size_t offset = kCellHeader;
  switch (record.type) {
    case kCellRk:
      if (body.size() < kCellHeader + 4) return "";
      return styles.number(rk_number(le32(body, kCellHeader)), body);
    case kCellReal:
    case kFmlaNum:
      if (body.size() < kCellHeader + 8) return "";
      return styles.number(le_double(body, kCellHeader), body);
    case kCellBool:
    case kFmlaBool:
      if (body.size() < kCellHeader + 1) return "";
      return body[kCellHeader] != 0 ? "TRUE" : "FALSE";
    case kCellSt:
    case kFmlaString:
      return wide_string(body, offset).value_or("");
    case kCellRString:  // RichStr: a flags byte, then the string
      ++offset;
      return wide_string(body, offset).value_or("");
    case kCellIsst: {
      if (body.size() < kCellHeader + 4) return "";
      const std::uint32_t index = le32(body, kCellHeader);
      return index < strings.size() ? strings[index] : "";
    }
    default:
      return std::nullopt;
  }
}

// Part `name` of the package, nullopt when there is none; whole, as the
// records are read from memory (capped against zip bombs).
std::optional<std::string> read_part(const ZipArchive& zip, const std::string& name) {
  if (!zip.contains(name)) return std::nullopt;
  return zip.read_all(name, kMaxEntryBytes);
}

struct Sheet {
  std::string name;
  std::string part;
};

struct Workbook {
  std::vector<Sheet> sheets;
  bool date1904 = false;
};

// The worksheets in the workbook's order (BrtBundleSh records of
// xl/workbook.bin, their parts from its relationships), and its date system.
Workbook workbook_of(const ZipArchive& zip) {
  const auto workbook = read_part(zip, "xl/workbook.bin");
  if (!workbook) throw ExtractionError("zip entry xl/workbook.bin missing (not an .xlsb workbook)");
  const auto rels = relationships_of(zip, "xl/workbook.bin");
  Workbook result;
  RecordReader reader(*workbook, "xl/workbook.bin");
  while (const auto record = reader.next()) {
    if (record->type == kWbProp && record->body.size() >= 4) {
      result.date1904 = (le32(record->body, 0) & 1) != 0;
    }
    if (record->type != kBundleSh) continue;
    // hsState and iTabID (8 bytes) then the strings; some writers put 4 more
    // bytes before them (Tika's testEXCEL.xlsb).
    for (const std::size_t start : {std::size_t{8}, std::size_t{12}}) {
      std::size_t offset = start;
      const auto rel_id = wide_string(record->body, offset);
      const auto name = wide_string(record->body, offset);
      const std::string target = rel_id ? target_with_id(rels, *rel_id) : "";
      if (name && !target.empty()) {
        result.sheets.push_back({*name, target});
        break;
      }
    }
  }
  return result;
}

std::vector<std::string> shared_strings(const ZipArchive& zip) {
  std::vector<std::string> strings;
  const auto part = read_part(zip, "xl/sharedStrings.bin");
  if (!part) return strings;
  RecordReader reader(*part, "xl/sharedStrings.bin");
  while (const auto record = reader.next()) {
    if (record->type != kSstItem) continue;
    std::size_t offset = 1;  // RichStr flags
    strings.push_back(wide_string(record->body, offset).value_or(""));
  }
  return strings;
}

// The six page headers and footers of BrtBeginHeaderFooter (after 2 bytes of
// flags, XLNullableWideStrings), their codes removed.
std::string headers_and_footers(std::string_view body) {
  std::string text;
  std::size_t offset = 2;
  for (int i = 0; i < 6; ++i) {
    const auto value = wide_string(body, offset);
    if (!value) break;  // a null string (count 0xFFFFFFFF) ends what can be read
    if (!value->empty()) text.append(header_footer_text(*value)).append("\n");
  }
  return text;
}

// xl/styles.bin: custom formats (BrtFmt) and the cell XFs (BrtXF between
// BrtBeginCellXFs and BrtEndCellXFs) with their format ids.
Styles styles_of(const ZipArchive& zip) {
  Styles styles;
  const auto part = read_part(zip, "xl/styles.bin");
  if (!part) return styles;
  std::map<unsigned, std::string> custom;
  bool in_cell_xfs = false;
  RecordReader reader(*part, "xl/styles.bin");
  while (const auto record = reader.next()) {
    if (record->type == kFmt && record->body.size() >= 2) {
      std::size_t offset = 2;
      custom[le16(record->body, 0)] = wide_string(record->body, offset).value_or("");
    } else if (record->type == kBeginCellXfs) {
      in_cell_xfs = true;
    } else if (record->type == kEndCellXfs) {
      in_cell_xfs = false;
    } else if (record->type == kXf && in_cell_xfs && record->body.size() >= 4) {
      const unsigned id = le16(record->body, 2);
      const auto found = custom.find(id);
      styles.cell_formats.emplace_back(found != custom.end() ? found->second
                                                             : excel_builtin_format(id));
    }
  }
  return styles;
}

// The cells of the worksheet `part`, row by row, then its headers and footers.
void append_sheet(std::string_view part, std::string_view name, const Styles& styles,
                  const std::vector<std::string>& strings, std::string& text) {
  text.append(name).append("\n");
  RecordReader reader(part, name);
  std::string row;
  std::string headers;
  const auto end_row = [&] {
    if (!row.empty()) text.append(row).append("\n");
    row.clear();
  };
  while (const auto record = reader.next()) {
    if (record->type == kRowHdr) {
      end_row();
    } else if (record->type == kBeginHeaderFooter) {
      headers += headers_and_footers(record->body);
    } else if (const auto value = cell_text(*record, styles, strings); value && !value->empty()) {
      if (!row.empty()) row += '\t';
      row += *value;
    }
  }
  end_row();
  text.append(headers);
}

// The comments of the worksheet `sheet_part` (its relationships name them).
void append_comments(const ZipArchive& zip, const std::string& sheet_part, std::string& text) {
  for (const Relationship& rel : relationships_of(zip, sheet_part)) {
    const std::string& target = rel.target;
    if (target.find("comments") == std::string::npos || !target.ends_with(".bin")) continue;
    const auto comments = read_part(zip, target);
    if (!comments) continue;
    RecordReader reader(*comments, target);
    while (const auto record = reader.next()) {
      if (record->type != kCommentText) continue;
      std::size_t offset = 1;  // RichStr flags
      if (const auto comment = wide_string(record->body, offset))
        text.append(*comment).append("\n");
    }
  }
}

}  // namespace

std::string xlsb_text(const std::filesystem::path& path) {
  const ZipArchive zip = open_package(path);
  const std::vector<std::string> strings = shared_strings(zip);
  const Workbook workbook = workbook_of(zip);
  Styles styles = styles_of(zip);
  styles.date1904 = workbook.date1904;
  std::string text;
  for (const Sheet& sheet : workbook.sheets) {
    const auto part = read_part(zip, sheet.part);
    if (!part) throw ExtractionError("zip entry " + sheet.part + " missing");
    append_sheet(*part, sheet.name, styles, strings, text);
    append_comments(zip, sheet.part, text);
    append_sheet_drawings(zip, sheet.part, text);
  }
  return text;
}

}  // namespace connectors::extraction::formats
