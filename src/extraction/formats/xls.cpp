#include "extraction/formats/xls.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "extraction/extract.h"
#include "extraction/formats/cell_format.h"
#include "extraction/formats/ole.h"
#include "extraction/formats/xls_format.h"

namespace connectors::extraction::formats {
namespace {

// BIFF record types of [MS-XLS] 2.3 read here.
constexpr std::uint16_t kBof = 0x0809, kEof = 0x000A, kFilePass = 0x002F, kCodePage = 0x0042,
                        kBoundSheet = 0x0085, kSst = 0x00FC, kContinue = 0x003C, kFormat = 0x041E,
                        kXf = 0x00E0, kLabelSst = 0x00FD, kLabel = 0x0204, kRString = 0x00D6,
                        kNumber = 0x0203, kRk = 0x027E, kMulRk = 0x00BD, kBoolErr = 0x0205,
                        kFormula = 0x0006, kString = 0x0207, kHeader = 0x0014, kFooter = 0x0015,
                        kDateMode = 0x0022;
constexpr std::uint16_t kWorksheetBof = 0x0010, kBiff8 = 0x0600;
// BoundSheet8.dt of a worksheet (others: macro sheets, charts, VB modules).
constexpr unsigned char kWorksheetType = 0;
// XLUnicodeRichExtendedString flags.
constexpr unsigned char kHighByte = 0x01, kExtSt = 0x04, kRichSt = 0x08;

using Cell = std::pair<unsigned, unsigned>;  // row, column

struct Sheet {
  std::string name;
  std::map<Cell, std::string> cells;
  std::string headers;
};

// The code page of BIFF5's 8-bit strings, from the CODEPAGE record's value.
unsigned codepage_of(std::uint16_t value) {
  if (value == 0x8000) return 10000;  // Mac Roman
  if (value == 0x8001) return 1252;
  return value;
}

// `count` characters at `offset`: UTF-16 (`wide`) or "compressed" Latin-1,
// cut at the end of `bytes`.
std::string characters(std::string_view bytes, std::size_t offset, std::size_t count, bool wide) {
  if (offset >= bytes.size()) return "";
  const std::string_view rest = bytes.substr(offset);
  return wide ? utf16le_to_utf8(rest.substr(0, 2 * count)) : latin1_to_utf8(rest.substr(0, count));
}

// A string with a 16-bit (`wide_count`) or 8-bit count: BIFF8's flags byte
// then UTF-16 or Latin-1, BIFF5's 8-bit characters in the workbook's code page.
std::string biff_string(std::string_view body, bool biff8, unsigned codepage, bool wide_count) {
  const std::size_t header = wide_count ? 2 : 1;
  if (body.size() < header) return "";
  const std::size_t count = wide_count ? le16(body, 0) : static_cast<unsigned char>(body[0]);
  if (!biff8) return codepage_to_utf8(body.substr(header, count), codepage);
  if (body.size() < header + 1) return "";
  return characters(body, header + 1, count,
                    (static_cast<unsigned char>(body[header]) & kHighByte) != 0);
}

// The shared string table: the SST record and its CONTINUE records, where a
// string's characters may go on in the next record after a new flags byte.
class SstReader {
 public:
  explicit SstReader(std::vector<std::string_view> records) : records_(std::move(records)) {}

  std::vector<std::string> strings() {
    std::vector<std::string> out;
    skip(8);  // cstTotal, cstUnique
    while (!at_end()) {
      const std::uint16_t count = u16();
      const unsigned char flags = u8();
      const std::size_t runs = (flags & kRichSt) != 0 ? u16() : 0;
      const std::size_t ext = (flags & kExtSt) != 0 ? u32() : 0;
      if (at_end()) break;
      out.push_back(chars(count, (flags & kHighByte) != 0));
      skip(4 * runs);
      skip(ext);
    }
    return out;
  }

 private:
  bool at_end() {
    while (record_ < records_.size() && offset_ >= records_[record_].size()) {
      ++record_;
      offset_ = 0;
    }
    return record_ >= records_.size();
  }
  unsigned char u8() {
    if (at_end()) return 0;
    return static_cast<unsigned char>(records_[record_][offset_++]);
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() | u8() << 8); }
  std::uint32_t u32() { return u16() | static_cast<std::uint32_t>(u16()) << 16; }
  void skip(std::size_t bytes) {
    while (bytes > 0 && !at_end()) {
      const std::size_t step = std::min(bytes, records_[record_].size() - offset_);
      offset_ += step;
      bytes -= step;
    }
  }
  // Characters, going on in the next record after its own flags byte.
  std::string chars(std::size_t count, bool wide) {
    std::string utf16;
    while (count > 0 && !at_end()) {
      const std::string_view record = records_[record_];
      const std::size_t unit = wide ? 2 : 1;
      const std::size_t here = std::min(count, (record.size() - offset_) / unit);
      for (std::size_t i = 0; i < here; ++i) {
        utf16 += record[offset_ + unit * i];
        utf16 += wide ? record[offset_ + unit * i + 1] : '\0';
      }
      offset_ += here * unit;
      count -= here;
      if (count == 0) break;
      if (here == 0) offset_ = record.size();  // half a character left: drop it
      if (at_end()) break;
      wide = (u8() & kHighByte) != 0;  // the continued record's flags byte
    }
    return utf16le_to_utf8(utf16);
  }

  std::vector<std::string_view> records_;
  std::size_t record_ = 0;
  std::size_t offset_ = 0;
};

// The number formats of the workbook: FORMAT records (id -> code) and the
// format id of each XF record, in order (a cell's ixfe indexes them).
struct NumberFormats {
  std::map<unsigned, std::string> custom;
  std::vector<unsigned> xf_formats;
  bool date1904 = false;  // the DATEMODE record: serials count from 1904

  std::string number(double value, std::uint16_t ixfe) const {
    if (ixfe >= xf_formats.size()) return excel_general_number(value);
    const auto found = custom.find(xf_formats[ixfe]);
    return excel_formatted_number(value,
                                  found != custom.end() ? std::string_view(found->second)
                                                        : excel_builtin_format(xf_formats[ixfe]),
                                  date1904);
  }
};

// The workbook's records, each length checked, with what they say.
class WorkbookReader {
 public:
  explicit WorkbookReader(std::string_view stream) : stream_(stream) {}

  std::vector<Sheet> read() {
    for (std::size_t offset = 0; offset + 4 <= stream_.size();) {
      const std::uint16_t type = le16(stream_, offset);
      const std::size_t length = le16(stream_, offset + 2);
      if (length > stream_.size() - offset - 4) break;  // a truncated last record
      const std::string_view body = stream_.substr(offset + 4, length);
      if (type != kContinue) flush_sst(type);
      record(type, body, offset);
      offset += 4 + length;
    }
    flush_sst(0);
    return std::move(sheets_);
  }

 private:
  void record(std::uint16_t type, std::string_view body, std::size_t offset) {
    switch (type) {
      case kFilePass:
        throw ExtractionError("password-protected workbook");
      case kCodePage:
        if (body.size() >= 2) codepage_ = codepage_of(le16(body, 0));
        break;
      case kBof:
        if (body.size() < 4) break;
        biff8_ = le16(body, 0) == kBiff8;
        sheet_ = nullptr;
        if (le16(body, 2) == kWorksheetBof) {
          sheet_ = &sheets_.emplace_back();
          const auto name = sheet_names_.find(offset);
          sheet_->name =
              name != sheet_names_.end() ? name->second : "Sheet" + std::to_string(sheets_.size());
        }
        break;
      case kEof:
        sheet_ = nullptr;
        break;
      case kBoundSheet:  // lbPlyPos, hsState, dt, name (8-bit count)
        if (body.size() >= 7 && static_cast<unsigned char>(body[5]) == kWorksheetType) {
          sheet_names_[le32(body, 0)] = biff_string(body.substr(6), biff8_, codepage_, false);
        }
        break;
      case kSst:
        sst_records_ = {body};
        break;
      case kContinue:
        if (!sst_records_.empty()) sst_records_.push_back(body);
        break;
      case kFormat:  // ifmt, then the code
        if (body.size() >= 3) {
          formats_.custom[le16(body, 0)] = biff_string(body.substr(2), biff8_, codepage_, biff8_);
        }
        break;
      case kXf:
        if (body.size() >= 4) formats_.xf_formats.push_back(le16(body, 2));
        break;
      case kDateMode:
        if (body.size() >= 2) formats_.date1904 = le16(body, 0) == 1;
        break;
      case kHeader:
      case kFooter:
        if (sheet_ != nullptr && !body.empty()) {
          sheet_->headers.append(header_footer_text(biff_string(body, biff8_, codepage_, biff8_)))
              .append("\n");
        }
        break;
      default:
        if (sheet_ != nullptr) cell(type, body);
    }
  }

  // The cell records: rw, col, ixfe, then the value.
  void cell(std::uint16_t type, std::string_view body) {
    if (body.size() < 6) return;
    const Cell at{le16(body, 0), le16(body, 2)};
    const std::uint16_t ixfe = le16(body, 4);
    if (type != kString) pending_string_.reset();
    switch (type) {
      case kLabelSst:
        if (body.size() >= 10 && le32(body, 6) < strings_.size()) {
          sheet_->cells[at] = strings_[le32(body, 6)];
        }
        break;
      case kLabel:
      case kRString:
        sheet_->cells[at] = biff_string(body.substr(6), biff8_, codepage_, true);
        break;
      case kNumber:
        if (body.size() >= 14) sheet_->cells[at] = formats_.number(le_double(body, 6), ixfe);
        break;
      case kRk:
        if (body.size() >= 10) sheet_->cells[at] = formats_.number(rk_number(le32(body, 6)), ixfe);
        break;
      case kMulRk: {  // rw, colFirst, (ixfe, rk) per column, colLast
        const std::size_t count = (body.size() - 6) / 6;
        for (std::size_t i = 0; i < count; ++i) {
          const std::size_t entry = 4 + 6 * i;
          sheet_->cells[{at.first, at.second + static_cast<unsigned>(i)}] =
              formats_.number(rk_number(le32(body, entry + 2)), le16(body, entry));
        }
        break;
      }
      case kBoolErr:  // bBoolErr, fError: errors have no text
        if (body.size() >= 8 && body[7] == 0) sheet_->cells[at] = body[6] != 0 ? "TRUE" : "FALSE";
        break;
      case kFormula:  // the cached result: a double, or (0xFFFF) a tagged value
        if (body.size() < 14) break;
        if (le16(body, 12) != 0xFFFF) {
          sheet_->cells[at] = formats_.number(le_double(body, 6), ixfe);
        } else if (body[6] == 0) {
          pending_string_ = at;  // in the STRING record that follows
        } else if (body[6] == 1) {
          sheet_->cells[at] = body[8] != 0 ? "TRUE" : "FALSE";
        }
        break;
      case kString:
        if (pending_string_) {
          sheet_->cells[*pending_string_] = biff_string(body, biff8_, codepage_, true);
          pending_string_.reset();
        }
        break;
      default:
        break;
    }
  }

  // The SST ends at the first record that is not a CONTINUE.
  void flush_sst(std::uint16_t type) {
    if (sst_records_.empty() || type == kSst) return;
    strings_ = SstReader(std::move(sst_records_)).strings();
    sst_records_.clear();
  }

  std::string_view stream_;
  bool biff8_ = true;
  unsigned codepage_ = 1252;
  std::map<std::size_t, std::string> sheet_names_;  // BOF offset -> name
  std::vector<std::string_view> sst_records_;
  std::vector<std::string> strings_;
  NumberFormats formats_;
  std::vector<Sheet> sheets_;
  Sheet* sheet_ = nullptr;
  std::optional<Cell> pending_string_;
};

}  // namespace

std::string xls_text(const std::filesystem::path& path) {
  const OleStorage root = OleStorage::open(path);
  std::optional<std::string> stream = root.read("Workbook", kMaxOleStreamBytes);
  if (!stream) stream = root.read("Book", kMaxOleStreamBytes);  // BIFF5
  if (!stream) throw ExtractionError("no Workbook stream (not an Excel 97-2003 file)");
  if (stream->size() < 8 || le16(*stream, 0) != kBof) {
    throw ExtractionError("not a BIFF5/BIFF8 workbook (no BOF record)");
  }
  std::string text;
  for (const Sheet& sheet : WorkbookReader(*stream).read()) {
    text.append(sheet.name).append("\n");
    std::optional<unsigned> row;
    for (const auto& [at, value] : sheet.cells) {
      if (value.empty()) continue;
      if (row && *row != at.first) text += '\n';
      if (row == at.first) text += '\t';
      text += value;
      row = at.first;
    }
    if (row) text += '\n';
    text.append(sheet.headers);
  }
  return text;
}

}  // namespace connectors::extraction::formats
