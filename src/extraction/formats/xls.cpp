#include "extraction/formats/xls.h"

#include <freexl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "extraction/extract.h"
#include "extraction/formats/ole.h"

namespace connectors::extraction::formats {
namespace {

// FreeXL's error codes, as reasons for the job.
std::string reason_of(int code) {
  switch (code) {
    case FREEXL_FILE_NOT_FOUND:
      return "cannot open the file";
    case FREEXL_INSUFFICIENT_MEMORY:
      return "out of memory";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
      return "not an OLE2 file";
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
      return "truncated OLE2 file";
    case FREEXL_CFBF_INVALID_SECTOR_SIZE:
    case FREEXL_CFBF_EMPTY_FAT_CHAIN:
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
    case FREEXL_INVALID_MINI_STREAM:
      return "corrupt OLE2 allocation table";
    case FREEXL_BIFF_INVALID_BOF:
      return "corrupt workbook (invalid BOF record)";
    case FREEXL_BIFF_INVALID_SST:
    case FREEXL_BIFF_ILLEGAL_SST_INDEX:
      return "corrupt workbook (invalid shared strings)";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
      return "no Workbook stream (not an Excel 97-2003 file)";
    case FREEXL_INVALID_CHARACTER:
    case FREEXL_UNSUPPORTED_CHARSET:
      return "text in an unsupported or invalid character set";
    case FREEXL_ILLEGAL_RK_VALUE:
      return "corrupt number (RK) record";
    case FREEXL_CRAFTED_FILE:
      return "malformed workbook (crafted file)";
    default:
      return "FreeXL error " + std::to_string(code);
  }
}

void check(int code) {
  if (code != FREEXL_OK) throw ExtractionError(reason_of(code));
}

}  // namespace

std::string excel_general_number(double value) {
  if (!std::isfinite(value)) return "";
  char buffer[64];
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.15G", value);
  }
  return buffer;
}

std::string_view excel_builtin_format(unsigned id) {
  // [MS-XLS] 2.4.126: the ids with a fixed code in every locale.
  static constexpr std::pair<unsigned, std::string_view> kBuiltin[] = {
      {1, "0"},
      {2, "0.00"},
      {3, "#,##0"},
      {4, "#,##0.00"},
      {9, "0%"},
      {10, "0.00%"},
      {11, "0.00E+00"},
      {12, "# ?/?"},
      {13, "# ?\?/?\?"},
      {14, "m/d/yy"},
      {15, "d-mmm-yy"},
      {16, "d-mmm"},
      {17, "mmm-yy"},
      {18, "h:mm AM/PM"},
      {19, "h:mm:ss AM/PM"},
      {20, "h:mm"},
      {21, "h:mm:ss"},
      {22, "m/d/yy h:mm"},
      {37, "#,##0 ;(#,##0)"},
      {38, "#,##0 ;[Red](#,##0)"},
      {39, "#,##0.00;(#,##0.00)"},
      {40, "#,##0.00;[Red](#,##0.00)"},
      {45, "mm:ss"},
      {46, "[h]:mm:ss"},
      {47, "mm:ss.0"},
      {48, "##0.0E+0"}};
  for (const auto& [builtin, code] : kBuiltin) {
    if (builtin == id) return code;
  }
  return "";
}

namespace {

// One section of a format code, split into literal text and placeholders.
struct FormatSection {
  std::string pattern;  // the code, literals replaced by '\x01' markers
  std::vector<std::string> literals;
};

// The section of `code` for `value` (codes are "positive;negative;zero;text"),
// brackets ([Red], [$-409]) dropped except [h]/[m]/[s], quoted and escaped
// characters kept as literals.
FormatSection section_for(std::string_view code, double value, bool& negative_section) {
  std::vector<std::string_view> sections;
  std::size_t start = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '"') quoted = !quoted;
    if (code[i] == '\\') ++i;
    if (!quoted && i < code.size() && code[i] == ';') {
      sections.push_back(code.substr(start, i - start));
      start = i + 1;
    }
  }
  sections.push_back(code.substr(start));
  negative_section = value < 0 && sections.size() > 1;
  const std::string_view chosen =
      negative_section ? sections[1]
                       : (value == 0 && sections.size() > 2 ? sections[2] : sections[0]);
  FormatSection section;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const char c = chosen[i];
    if (c == '"') {
      const std::size_t end = chosen.find('"', i + 1);
      section.literals.emplace_back(chosen.substr(i + 1, std::min(end, chosen.size()) - i - 1));
      section.pattern += '\x01';
      i = end == std::string_view::npos ? chosen.size() : end;
    } else if (c == '\\' && i + 1 < chosen.size()) {
      section.literals.emplace_back(1, chosen[++i]);
      section.pattern += '\x01';
    } else if (c == '[') {
      const std::size_t end = chosen.find(']', i);
      const std::string_view inside = chosen.substr(i + 1, std::min(end, chosen.size()) - i - 1);
      if (inside == "h" || inside == "hh" || inside == "m" || inside == "mm" || inside == "s" ||
          inside == "ss") {
        section.pattern += inside;
      }
      i = end == std::string_view::npos ? chosen.size() : end;
    } else if (c == '_' || c == '*') {
      ++i;  // padding: a space the width of the next character
      section.pattern += ' ';
    } else if (c != '@') {
      section.pattern += c;
    }
  }
  return section;
}

bool is_date_pattern(std::string_view pattern) {
  for (const char c : pattern) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == 'y' || lower == 'd' || lower == 'h' || lower == 's' || lower == 'm') return true;
  }
  return false;
}

std::string two_digits(int value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d", value);
  return buffer;
}

// A serial date and time (days since 1899-12-30 in the 1900 system, whose
// Lotus bug has a 29 February 1900) rendered with a date pattern.
std::string format_date(double serial, const FormatSection& section) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  static constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};
  if (!(serial >= 0 && serial < 2958466)) return excel_general_number(serial);  // past 9999
  long days = static_cast<long>(std::floor(serial));
  long seconds = std::lround((serial - static_cast<double>(days)) * 86400);
  if (seconds >= 86400) {
    ++days;
    seconds -= 86400;
  }
  const int weekday =
      static_cast<int>(((days - 1) % 7 + 7) % 7);  // serial 1 a Sunday, as Excel says
  int year = 1900, month = 2, day = 29;            // serial 60: the phantom day
  if (days != 60) {
    if (days < 60) ++days;  // before it, serials count from 1899-12-31
    // Civil date of `days` since 1899-12-30 (Howard Hinnant's algorithm).
    const long z = days - 25569 + 719468;  // 25569: days from 1899-12-30 to 1970-01-01
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  }
  const int hour = static_cast<int>(seconds / 3600), minute = static_cast<int>(seconds / 60 % 60),
            second = static_cast<int>(seconds % 60);
  const std::string& p = section.pattern;
  const bool twelve_hour =
      p.find("AM/PM") != std::string::npos || p.find("am/pm") != std::string::npos;
  std::string out;
  std::size_t literal = 0;
  bool after_hour = false;
  for (std::size_t i = 0; i < p.size();) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(p[i])));
    std::size_t run = 1;
    while (i + run < p.size() && std::tolower(static_cast<unsigned char>(p[i + run])) == c) ++run;
    if (p[i] == '\x01') {
      if (literal < section.literals.size()) out += section.literals[literal++];
      run = 1;
    } else if (c == 'y') {
      out += run <= 2 ? two_digits(year % 100) : std::to_string(year);
    } else if (c == 'd') {
      out += run == 1   ? std::to_string(day)
             : run == 2 ? two_digits(day)
             : run == 3 ? std::string(kDays[weekday]).substr(0, 3)
                        : kDays[weekday];
    } else if (c == 'm') {
      // Minutes after an hour or before seconds, months otherwise.
      std::size_t next = i + run;
      while (next < p.size() && !std::isalpha(static_cast<unsigned char>(p[next]))) ++next;
      const bool minutes =
          (after_hour || (next < p.size() && std::tolower(p[next]) == 's')) && run <= 2;
      if (minutes) {
        out += run == 1 ? std::to_string(minute) : two_digits(minute);
      } else {
        out += run == 1   ? std::to_string(month)
               : run == 2 ? two_digits(month)
               : run == 3 ? std::string(kMonths[month - 1]).substr(0, 3)
               : run == 5 ? std::string(kMonths[month - 1]).substr(0, 1)
                          : kMonths[month - 1];
      }
    } else if (c == 'h') {
      const int shown = twelve_hour ? (hour % 12 == 0 ? 12 : hour % 12) : hour;
      out += run == 1 ? std::to_string(shown) : two_digits(shown);
      after_hour = true;
      i += run;
      continue;
    } else if (c == 's') {
      out += run == 1 ? std::to_string(second) : two_digits(second);
    } else if (c == 'a' && p.compare(i, 5, "AM/PM") == 0) {
      out += hour < 12 ? "AM" : "PM";
      run = 5;
    } else if (c == 'a' && p.compare(i, 5, "am/pm") == 0) {
      out += hour < 12 ? "am" : "pm";
      run = 5;
    } else if (c == '.' && i + 1 < p.size() && p[i + 1] == '0') {
      run = 1;  // fractions of seconds: not shown
      while (i + run < p.size() && p[i + run] == '0') ++run;
    } else {
      out.append(p, i, run);
    }
    if (c != 'h' && std::isalpha(static_cast<unsigned char>(c)) && c != 'm') after_hour = false;
    i += run;
  }
  return out;
}

// A number rendered with a numeric pattern: literal prefix and suffix, the
// digits with the pattern's decimals, thousands separators and percent.
std::string format_numeric(double value, const FormatSection& section, bool negative_section) {
  const std::string& p = section.pattern;
  const std::size_t first = p.find_first_of("0#?");
  if (first == std::string::npos || p.find('/') != std::string::npos) {
    return excel_general_number(value);  // no digits, or a fraction
  }
  const std::size_t last = p.find_last_of("0#?,.Ee+-");
  const bool percent = p.find('%') != std::string::npos;
  const std::size_t exponent = p.find_first_of("Ee", first);
  const bool scientific = exponent != std::string::npos && exponent + 1 < p.size() &&
                          (p[exponent + 1] == '+' || p[exponent + 1] == '-');
  const std::size_t point = p.find('.', first);
  int decimals = 0;
  if (point != std::string::npos && point <= last) {
    for (std::size_t i = point + 1;
         i <= last && decimals < 30 && (p[i] == '0' || p[i] == '#' || p[i] == '?'); ++i) {
      ++decimals;
    }
  }
  const std::size_t comma = p.find(',', first);
  const bool grouping = !scientific && comma != std::string::npos &&
                        comma < (point == std::string::npos ? last : point);
  double shown = percent ? value * 100 : value;
  if (negative_section) shown = std::fabs(shown);
  // Excel rounds halves away from zero; printf to even.
  const double scale = std::pow(10.0, decimals);
  if (std::fabs(shown) * scale < 1e15) shown = std::round(shown * scale) / scale;
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, scientific ? "%.*E" : "%.*f", decimals, std::fabs(shown));
  std::string digits = buffer;
  if (grouping) {
    const std::size_t integer_end = std::min(digits.find('.'), digits.size());
    for (std::size_t i = integer_end; i > 3; i -= 3) digits.insert(i - 3, ",");
  }
  std::size_t literal = 0;
  const auto literal_text = [&](std::string_view part) {
    std::string text;
    for (const char c : part) {
      if (c == '\x01') {
        if (literal < section.literals.size()) text += section.literals[literal++];
      } else if (c != '%' && std::string_view("0#?,.Ee+-").find(c) == std::string_view::npos) {
        text += c;
      }
    }
    return text;
  };
  const std::string sign = shown < 0 && std::strtod(buffer, nullptr) != 0 ? "-" : "";
  // Literals among the digits ("0 \"dollars and\" .00") follow them.
  std::string out = literal_text(p.substr(0, first)) + sign + digits;
  out += literal_text(p.substr(first, last - first + 1));
  out += literal_text(p.substr(last + 1));
  if (percent) out += '%';
  return out;
}

}  // namespace

std::string excel_formatted_number(double value, std::string_view code) {
  if (code.empty() || code == "General" || !std::isfinite(value))
    return excel_general_number(value);
  bool negative_section = false;
  const FormatSection section = section_for(code, value, negative_section);
  if (is_date_pattern(section.pattern)) return format_date(value, section);
  return format_numeric(value, section, negative_section);
}

std::string header_footer_text(std::string_view codes) {
  std::string text;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] != '&' || i + 1 >= codes.size()) {
      text += codes[i];
      continue;
    }
    const char code = codes[++i];
    if (code == '&') {
      text += '&';
    } else if (code == '"') {  // &"font,style"
      const std::size_t end = codes.find('"', i + 1);
      i = end == std::string_view::npos ? codes.size() : end;
    } else if (code >= '0' && code <= '9') {  // &nn: font size
      while (i + 1 < codes.size() && codes[i + 1] >= '0' && codes[i + 1] <= '9') ++i;
    } else if (code == 'K') {  // &Krrggbb: colour
      i = std::min(codes.size(), i + 6);
    } else if (code == 'L' || code == 'C' || code == 'R') {
      text += ' ';  // a new section
    }
  }
  return text;
}

namespace {

std::string cell_text(const FreeXL_CellValue& cell) {
  switch (cell.type) {
    case FREEXL_CELL_INT:
      return std::to_string(cell.value.int_value);
    case FREEXL_CELL_DOUBLE:
      return excel_general_number(cell.value.double_value);
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
      return cell.value.text_value == nullptr ? "" : cell.value.text_value;
    default:
      return "";
  }
}

// BIFF record types read here (FreeXL reads the rest).
constexpr std::uint16_t kBof = 0x0809, kFilePass = 0x002F, kFormula = 0x0006, kString = 0x0207,
                        kHeader = 0x0014, kFooter = 0x0015, kCodePage = 0x0042, kFormat = 0x041E,
                        kXf = 0x00E0, kNumber = 0x0203, kRk = 0x027E, kMulRk = 0x00BD;
constexpr std::uint16_t kWorksheetBof = 0x0010, kBiff8 = 0x0600;

using Cells = std::map<std::pair<unsigned int, unsigned short>, std::string>;

// What FreeXL does not give, per worksheet: the cached results of formula
// cells, numbers in their cells' formats (FreeXL has no formats), the page
// header and footer.
struct SheetExtras {
  Cells cells;
  std::string headers;
};

// The number formats of the workbook: FORMAT records (id -> code) and the
// format id of each XF record, in order (a cell's ixfe indexes them).
struct NumberFormats {
  std::map<unsigned, std::string> custom;
  std::vector<unsigned> xf_formats;

  std::string number(double value, std::uint16_t ixfe) const {
    if (ixfe >= xf_formats.size()) return excel_general_number(value);
    const auto found = custom.find(xf_formats[ixfe]);
    return excel_formatted_number(value, found != custom.end()
                                             ? std::string_view(found->second)
                                             : excel_builtin_format(xf_formats[ixfe]));
  }
};

double rk_number(std::uint32_t rk) {
  double value = 0;
  if ((rk & 2) != 0) {
    value = static_cast<double>(static_cast<std::int32_t>(rk) >> 2);
  } else {
    const std::uint64_t bits = static_cast<std::uint64_t>(rk & 0xFFFFFFFC) << 32;
    std::memcpy(&value, &bits, sizeof value);
  }
  return (rk & 1) != 0 ? value / 100 : value;
}

// ... in stream order, and whether the workbook is encrypted.
struct FormulaResults {
  bool encrypted = false;
  std::vector<SheetExtras> sheets;
};

// The code page of BIFF5's 8-bit strings, from the CODEPAGE record's value.
unsigned codepage_of(std::uint16_t value) {
  if (value == 0x8000) return 10000;  // Mac Roman
  if (value == 0x8001) return 1252;
  return value;
}

// A string with a 16-bit count: BIFF8's XLUnicodeString (flags byte, then
// UTF-16 or "compressed" Latin-1), BIFF5's 8-bit string in the workbook's
// code page.
std::string biff_string(std::string_view body, bool biff8, unsigned codepage) {
  if (body.size() < 2) return "";
  const std::size_t count = le16(body, 0);
  if (!biff8) return codepage_to_utf8(body.substr(2, count), codepage);
  if (body.size() < 3) return "";
  const bool wide = (static_cast<unsigned char>(body[2]) & 1) != 0;
  const std::string_view chars = body.substr(3);
  return wide ? utf16le_to_utf8(chars.substr(0, 2 * count))
              : latin1_to_utf8(chars.substr(0, count));
}

std::string formula_result(std::string_view body, const NumberFormats& formats) {
  // result: an IEEE double, or (last two bytes 0xFFFF) a tagged non-number.
  if (le16(body, 12) != 0xFFFF) {
    double value = 0;
    std::memcpy(&value, body.data() + 6, sizeof value);
    return formats.number(value, le16(body, 4));
  }
  switch (body[6]) {
    case 1:
      return body[8] != 0 ? "TRUE" : "FALSE";
    default:
      return "";  // 0: a string, in the STRING record that follows
  }
}

// Walks the BIFF records of the Workbook stream, every length checked.
FormulaResults read_formula_results(std::string_view bytes) {
  FormulaResults results;
  SheetExtras* sheet = nullptr;
  bool biff8 = true;
  unsigned codepage = 1252;
  NumberFormats formats;
  std::optional<std::pair<unsigned int, unsigned short>> pending_string;
  for (std::size_t offset = 0; offset + 4 <= bytes.size();) {
    const std::uint16_t type = le16(bytes, offset);
    const std::size_t length = le16(bytes, offset + 2);
    if (offset + 4 + length > bytes.size()) break;
    const std::string_view body = bytes.substr(offset + 4, length);
    offset += 4 + length;
    if (type == kCodePage && body.size() >= 2) {
      codepage = codepage_of(le16(body, 0));
    } else if (type == kBof && body.size() >= 4) {
      biff8 = le16(body, 0) == kBiff8;
      sheet = nullptr;
      if (le16(body, 2) == kWorksheetBof) sheet = &results.sheets.emplace_back();
    } else if (type == kFilePass) {
      results.encrypted = true;
      return results;
    } else if (type == kFormula && sheet != nullptr && body.size() >= 14) {
      const std::pair<unsigned int, unsigned short> cell{le16(body, 0), le16(body, 2)};
      pending_string.reset();
      if (le16(body, 12) == 0xFFFF && body[6] == 0)
        pending_string = cell;
      else
        sheet->cells[cell] = formula_result(body, formats);
    } else if (type == kString && sheet != nullptr && pending_string) {
      sheet->cells[*pending_string] = biff_string(body, biff8, codepage);
      pending_string.reset();
    } else if (type == kFormat && body.size() >= 3) {
      // BIFF8: XLUnicodeString; BIFF5: an 8-bit count and 8-bit characters.
      const std::string_view code = body.substr(2);
      formats.custom[le16(body, 0)] =
          biff8 ? biff_string(code, true, codepage)
                : codepage_to_utf8(code.substr(1, static_cast<unsigned char>(code[0])), codepage);
    } else if (type == kXf && body.size() >= 4) {
      formats.xf_formats.push_back(le16(body, 2));
    } else if (type == kNumber && sheet != nullptr && body.size() >= 14) {
      double value = 0;
      std::memcpy(&value, body.data() + 6, sizeof value);
      sheet->cells[{le16(body, 0), le16(body, 2)}] = formats.number(value, le16(body, 4));
    } else if (type == kRk && sheet != nullptr && body.size() >= 10) {
      sheet->cells[{le16(body, 0), le16(body, 2)}] =
          formats.number(rk_number(le32(body, 6)), le16(body, 4));
    } else if (type == kMulRk && sheet != nullptr && body.size() >= 6) {
      // rw, colFirst, (ixfe, rk) per column, colLast.
      const std::size_t count = (body.size() - 6) / 6;
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t at = 4 + 6 * i;
        sheet->cells[{le16(body, 0), static_cast<unsigned short>(le16(body, 2) + i)}] =
            formats.number(rk_number(le32(body, at + 2)), le16(body, at));
      }
    } else if ((type == kHeader || type == kFooter) && sheet != nullptr && !body.empty()) {
      // BIFF8: XLUnicodeString; BIFF5: an 8-bit count and 8-bit characters.
      const std::string raw =
          biff8 ? biff_string(body, true, codepage)
                : codepage_to_utf8(body.substr(1, static_cast<unsigned char>(body[0])), codepage);
      sheet->headers.append(header_footer_text(raw)).append("\n");
    }
  }
  return results;
}

// Closes the workbook on every path (FreeXL wants a close even after a failed open).
struct Workbook {
  const void* handle = nullptr;
  ~Workbook() {
    if (handle != nullptr) freexl_close(handle);
  }
};

}  // namespace

std::string xls_text(const std::filesystem::path& path) {
  const OleStorage root = OleStorage::open(path);
  const char* stream_name = "Workbook";
  std::optional<std::string> stream = root.read(stream_name, kMaxOleStreamBytes);
  if (!stream) stream = root.read(stream_name = "Book", kMaxOleStreamBytes);  // BIFF5
  if (!stream) throw ExtractionError("no Workbook stream (not an Excel 97-2003 file)");
  const FormulaResults formulas = read_formula_results(*stream);
  if (formulas.encrypted) throw ExtractionError("password-protected workbook");
  // FreeXL reads the OLE2 container itself and trusts its directory (a name
  // length of 32 KB makes it read past a stack buffer): it gets the stream,
  // read by libgsf, in a container libgsf writes.
  const TemporaryFile clean("connectors-xls-", ".xls");
  write_single_stream_ole(clean.path(), stream_name, *stream);
  Workbook book;
  check(freexl_open(clean.path().c_str(), &book.handle));
  if (book.handle == nullptr) throw ExtractionError("unreadable workbook");
  unsigned int info = 0;
  check(freexl_get_info(book.handle, FREEXL_BIFF_PASSWORD, &info));
  if (info == FREEXL_BIFF_OBFUSCATED) throw ExtractionError("password-protected workbook");
  unsigned int sheets = 0;
  check(freexl_get_info(book.handle, FREEXL_BIFF_SHEET_COUNT, &sheets));
  std::string text;
  for (unsigned short sheet = 0; sheet < sheets; ++sheet) {
    const char* name = nullptr;
    check(freexl_get_worksheet_name(book.handle, sheet, &name));
    if (name != nullptr) text.append(name).append("\n");
    check(freexl_select_active_worksheet(book.handle, sheet));
    unsigned int rows = 0;
    unsigned short columns = 0;
    check(freexl_worksheet_dimensions(book.handle, &rows, &columns));
    // FreeXL leaves formula cells empty and has no number formats: the
    // stream's own values fill them in when its worksheets match FreeXL's.
    const SheetExtras* extras =
        formulas.sheets.size() == sheets ? &formulas.sheets[sheet] : nullptr;
    const Cells* results = extras != nullptr ? &extras->cells : nullptr;
    for (unsigned int row = 0; row < rows; ++row) {
      std::string line;
      bool any = false;
      for (unsigned short column = 0; column < columns; ++column) {
        FreeXL_CellValue cell;
        check(freexl_get_cell_value(book.handle, row, column, &cell));
        std::string value = cell_text(cell);
        const bool text_cell = cell.type == FREEXL_CELL_TEXT || cell.type == FREEXL_CELL_SST_TEXT;
        if (!text_cell && results != nullptr) {
          const auto found = results->find({row, column});
          if (found != results->end()) value = found->second;
        }
        if (column > 0) line += '\t';
        line += value;
        any = any || !value.empty();
      }
      if (any) text.append(line).append("\n");  // Tika skips empty rows
    }
    if (extras != nullptr) text.append(extras->headers);
  }
  if (formulas.sheets.size() != sheets) {  // cannot place them: keep their text anyway
    for (const SheetExtras& extras : formulas.sheets) {
      for (const auto& [cell, value] : extras.cells) text.append(value).append("\n");
      text.append(extras.headers);
    }
  }
  return text;
}

}  // namespace connectors::extraction::formats
