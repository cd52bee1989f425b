#include "extraction/formats/rtf.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <vector>

#include "extraction/extract.h"
#include "extraction/formats/text.h"

namespace connectors::extraction::formats {
namespace {

constexpr size_t kMaxDepth = 1000;

// Destinations whose content is not document text.
constexpr std::array<std::string_view, 24> kSkippedDestinations = {"fonttbl",
                                                                   "colortbl",
                                                                   "stylesheet",
                                                                   "listtable",
                                                                   "listoverridetable",
                                                                   "revtbl",
                                                                   "rsidtbl",
                                                                   "info",
                                                                   "pict",
                                                                   "nonshppict",
                                                                   "themedata",
                                                                   "colorschememapping",
                                                                   "latentstyles",
                                                                   "datastore",
                                                                   "xmlnstbl",
                                                                   "generator",
                                                                   "filetbl",
                                                                   "fldinst",
                                                                   "listtext",
                                                                   "pntext",
                                                                   "pntxta",
                                                                   "pntxtb",
                                                                   "objdata",
                                                                   "objclass"};

// Control words that stand for a character or a break.
const std::map<std::string_view, std::string_view>& special_characters() {
  static const std::map<std::string_view, std::string_view> table = {
      {"par", "\n"},           {"line", "\n"},          {"sect", "\n"},       {"page", "\n"},
      {"row", "\n"},           {"tab", "\t"},           {"cell", "\t"},       {"nestcell", "\t"},
      {"emdash", "\u2014"},    {"endash", "\u2013"},    {"lquote", "\u2018"}, {"rquote", "\u2019"},
      {"ldblquote", "\u201C"}, {"rdblquote", "\u201D"}, {"bullet", "\u2022"}, {"emspace", " "},
      {"enspace", " "},        {"qmspace", " "}};
  return table;
}

// The Windows code page of a \fcharset value (0 = the document's).
int charset_code_page(int charset) {
  switch (charset) {
    case 77:
      return 10000;
    case 128:
      return 932;
    case 129:
      return 949;
    case 130:
      return 1361;
    case 134:
      return 936;
    case 136:
      return 950;
    case 161:
      return 1253;
    case 162:
      return 1254;
    case 163:
      return 1258;
    case 177:
      return 1255;
    case 178:
      return 1256;
    case 186:
      return 1257;
    case 204:
      return 1251;
    case 222:
      return 874;
    case 238:
      return 1250;
    case 255:
      return 437;
    default:
      return 0;
  }
}

std::string iconv_name(int code_page) {
  return code_page == 10000 ? "MACINTOSH" : "CP" + std::to_string(code_page);
}

enum class Kind { kText, kSkipped, kFontTable };

struct Group {
  Kind kind = Kind::kText;
  int uc = 1;     // characters that follow \uN as its fallback
  int font = -1;  // current \fN
};

class RtfReader {
 public:
  explicit RtfReader(std::string_view in) : in_(in) {}

  std::string read() {
    if (!in_.substr(in_.find_first_not_of(" \t\r\n") == std::string_view::npos
                        ? in_.size()
                        : in_.find_first_not_of(" \t\r\n"))
             .starts_with("{\\rtf")) {
      throw ExtractionError("not an RTF file (no {\\rtf header)");
    }
    while (pos_ < in_.size()) {
      const char c = in_[pos_++];
      if (c == '{') {
        open_group();
      } else if (c == '}') {
        if (close_group()) break;  // the end of the document's group
      } else if (c == '\\') {
        control();
      } else if (c != '\r' && c != '\n') {
        text_byte(static_cast<unsigned char>(c));
      }
    }
    // Groups left open at the end are closed, as Word and Tika do: real files
    // miss a final brace, and a truncated file keeps the text it has.
    flush();
    return std::move(out_);
  }

 private:
  void open_group() {
    if (groups_.size() >= kMaxDepth) {
      throw ExtractionError("RTF groups nested deeper than " + std::to_string(kMaxDepth));
    }
    groups_.push_back(groups_.empty() ? Group{} : groups_.back());
    group_start_ = true;
    fallback_left_ = 0;
  }

  bool close_group() {
    if (groups_.empty()) return true;
    flush();
    groups_.pop_back();
    fallback_left_ = 0;
    return groups_.empty();
  }

  Group& group() {
    if (groups_.empty()) throw ExtractionError("RTF text outside the document's group");
    return groups_.back();
  }

  bool in_text() { return group().kind == Kind::kText; }

  // Consumes one character of a \uN fallback; true when it was one.
  bool skip_fallback() {
    if (fallback_left_ <= 0) return false;
    --fallback_left_;
    return true;
  }

  void control() {
    if (pos_ >= in_.size()) return;
    const char c = in_[pos_];
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      ++pos_;
      control_symbol(c);
      group_start_ = false;
      return;
    }
    const size_t start = pos_;
    while (pos_ < in_.size() && pos_ - start < 32 &&
           std::isalpha(static_cast<unsigned char>(in_[pos_]))) {
      ++pos_;
    }
    const std::string_view word = in_.substr(start, pos_ - start);
    bool has_param = false;
    long param = 0;
    bool negative = false;
    if (pos_ < in_.size() && in_[pos_] == '-') {
      negative = true;
      ++pos_;
    }
    for (int digits = 0; pos_ < in_.size() && std::isdigit(static_cast<unsigned char>(in_[pos_]));
         ++pos_, ++digits) {
      if (digits < 10) param = param * 10 + (in_[pos_] - '0');
      has_param = true;
    }
    if (negative) param = -param;
    if (pos_ < in_.size() && in_[pos_] == ' ') ++pos_;  // the delimiter belongs to the word
    const bool first = group_start_;
    group_start_ = false;
    control_word(word, has_param, param, first);
  }

  void control_symbol(char c) {
    if (c == '*') {  // an optional destination: one we do not know
      if (group_start_) group().kind = Kind::kSkipped;
      return;
    }
    if (c == '\'') {
      if (pos_ + 2 > in_.size()) return;
      const std::string hex(in_.substr(pos_, 2));
      pos_ += 2;
      if (!std::isxdigit(static_cast<unsigned char>(hex[0])) ||
          !std::isxdigit(static_cast<unsigned char>(hex[1]))) {
        return;
      }
      if (skip_fallback() || !in_text()) return;
      text_byte(static_cast<unsigned char>(std::stoi(hex, nullptr, 16)), true);
      return;
    }
    if (skip_fallback() || !in_text()) return;
    switch (c) {
      case '\\':
      case '{':
      case '}':
        text_byte(static_cast<unsigned char>(c), true);
        break;
      case '~':
        append("\u00A0");
        break;
      case '_':
        append("\u2011");
        break;
      case '\n':
      case '\r':
        append("\n");
        break;  // \<newline> is \par
      default:
        break;  // \- optional hyphen, \: index subentry
    }
  }

  void control_word(std::string_view word, bool has_param, long param, bool first) {
    Group& g = group();
    if (word == "bin") {  // raw binary data follows: never text
      pos_ = std::min(in_.size(), pos_ + static_cast<size_t>(std::max(0L, param)));
      return;
    }
    if (first && word == "fonttbl") {
      g.kind = Kind::kFontTable;
      return;
    }
    if (first && std::find(kSkippedDestinations.begin(), kSkippedDestinations.end(), word) !=
                     kSkippedDestinations.end()) {
      g.kind = Kind::kSkipped;
      return;
    }
    if (g.kind == Kind::kFontTable) {
      if (word == "f") font_being_defined_ = static_cast<int>(param);
      if (word == "fcharset")
        font_code_page_[font_being_defined_] = charset_code_page(static_cast<int>(param));
      if (word == "cpg" && param > 0)
        font_code_page_[font_being_defined_] = static_cast<int>(param);
      return;
    }
    if (word == "ansicpg" && param > 0) code_page_ = static_cast<int>(param);
    if (word == "mac") code_page_ = 10000;
    if (word == "pc") code_page_ = 437;
    if (word == "pca") code_page_ = 850;
    if (word == "deff") default_font_ = static_cast<int>(param);
    if (word == "f" && has_param) g.font = static_cast<int>(param);
    if (word == "uc" && has_param) g.uc = static_cast<int>(std::clamp(param, 0L, 10L));
    if (word == "u" && has_param) {
      if (g.kind == Kind::kText) unicode(static_cast<char32_t>(param < 0 ? param + 65536 : param));
      fallback_left_ = g.uc;
      return;
    }
    if (skip_fallback() || g.kind != Kind::kText) return;
    const auto& specials = special_characters();
    if (auto it = specials.find(word); it != specials.end()) append(it->second);
  }

  // \uN gives UTF-16 units: a pair makes one character, a lone half U+FFFD.
  void unicode(char32_t c) {
    bool low = c >= 0xDC00 && c < 0xE000;
    if (low && high_surrogate_ != 0) {
      c = 0x10000 + ((high_surrogate_ - 0xD800) << 10) + (c - 0xDC00);
      high_surrogate_ = 0;
      low = false;
    }
    flush();
    if (c >= 0xD800 && c < 0xDC00) {
      high_surrogate_ = c;
      return;
    }
    append_utf8(out_, low ? 0xFFFD : c);
  }

  void text_byte(unsigned char c, bool escaped = false) {
    if (!escaped && skip_fallback()) return;
    if (groups_.empty() || !in_text()) return;
    group_start_ = false;
    if (c < 0x80 && !escaped) {
      flush();
      out_ += static_cast<char>(c);
      return;
    }
    const int code_page = current_code_page();
    if (code_page != pending_code_page_) flush();
    pending_code_page_ = code_page;
    pending_ += static_cast<char>(c);
  }

  void append(std::string_view utf8) {
    flush();
    out_ += utf8;
  }

  int current_code_page() {
    const int font = group().font >= 0 ? group().font : default_font_;
    auto it = font_code_page_.find(font);
    return it != font_code_page_.end() && it->second != 0 ? it->second : code_page_;
  }

  // Decodes the bytes of \'hh escapes gathered in one code page.
  void flush() {
    if (high_surrogate_ != 0) {
      high_surrogate_ = 0;
      out_ += "\uFFFD";
    }
    if (pending_.empty()) return;
    try {
      out_ += convert_to_utf8(pending_, iconv_name(pending_code_page_));
    } catch (const ExtractionError&) {
      out_ += convert_to_utf8(pending_, "CP1252");  // a code page iconv lacks
    }
    pending_.clear();
  }

  std::string_view in_;
  size_t pos_ = 0;
  std::string out_;
  std::vector<Group> groups_;
  bool group_start_ = false;
  int fallback_left_ = 0;
  char32_t high_surrogate_ = 0;
  int code_page_ = 1252;
  int default_font_ = 0;
  int font_being_defined_ = -1;
  std::map<int, int> font_code_page_;
  std::string pending_;
  int pending_code_page_ = 1252;
};

}  // namespace

std::string rtf_text(std::string_view bytes) { return RtfReader(bytes).read(); }

std::string rtf_file(const std::filesystem::path& path) { return rtf_text(read_file_bytes(path)); }

}  // namespace connectors::extraction::formats
