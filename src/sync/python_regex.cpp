#include "sync/python_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cctype>

namespace connectors::sync {
namespace {

class Translator {
 public:
  explicit Translator(std::string_view pattern) : p_(pattern) {}

  PcrePattern run() {
    while (i_ < p_.size()) {
      if (p_[i_] == '\\' && i_ + 1 < p_.size()) {
        escape();
      } else if (in_class_) {
        if (p_[i_] == ']') in_class_ = false;
        copy(1);
      } else if (p_[i_] == '[') {
        open_class();
      } else if (p_.substr(i_, 2) == "(?" && flags_group()) {
      } else if (p_.substr(i_, 2) == "{,") {
        emit("{0,", i_);  // Python 3 reads {,n} as {0,n}; PCRE2 10.42 as text
        i_ += 2;
      } else {
        copy(1);
      }
    }
    return std::move(out_);
  }

 private:
  void emit(std::string_view text, size_t origin) {
    out_.pattern.append(text);
    out_.origin.insert(out_.origin.end(), text.size(), origin);
  }
  void copy(size_t n) {
    for (size_t k = 0; k < n && i_ < p_.size(); ++k, ++i_) emit(p_.substr(i_, 1), i_);
  }

  // A character class: `]` right after `[` or `[^` is a literal in both.
  void open_class() {
    copy(1);
    if (i_ < p_.size() && p_[i_] == '^') copy(1);
    if (i_ < p_.size() && p_[i_] == ']') copy(1);
    in_class_ = true;
  }

  void escape() {
    char c = p_[i_ + 1];
    if (c == 'Z' && !in_class_) {  // Python's \Z: the very end (PCRE2's \Z allows a final \n)
      emit("\\z", i_);
      i_ += 2;
      return;
    }
    if (c == 'u' || c == 'U') {  // \uXXXX, \UXXXXXXXX
      size_t digits = c == 'u' ? 4 : 8;
      std::string_view hex = p_.substr(i_ + 2, digits);
      bool ok = hex.size() == digits;
      for (char h : hex) ok = ok && std::isxdigit(static_cast<unsigned char>(h));
      if (!ok) throw RegexError("incomplete escape \\" + std::string(1, c), i_);
      emit("\\x{" + std::string(hex) + "}", i_);
      i_ += 2 + digits;
      return;
    }
    copy(2);
  }

  // "(?aiLmsux)": Python's global flags. PCRE2 knows i, m, s, x; `u` is the
  // default of a str pattern; `a` turns Unicode matching off for the whole
  // pattern, as in Python. False when the group is something else.
  bool flags_group() {
    size_t j = i_ + 2;
    while (j < p_.size() && std::string_view("aiLmsux").find(p_[j]) != std::string_view::npos) ++j;
    if (j == i_ + 2 || j >= p_.size() || p_[j] != ')') return false;
    std::string_view flags = p_.substr(i_ + 2, j - i_ - 2);
    if (flags.find('L') != std::string_view::npos) {
      throw RegexError("bad inline flags: cannot use 'L' flag with a str pattern", i_ + 2);
    }
    bool ascii = flags.find('a') != std::string_view::npos;
    if (ascii && flags.find('u') != std::string_view::npos) {
      throw RegexError("bad inline flags: flags 'a' and 'u' are incompatible", i_ + 2);
    }
    out_.ascii = out_.ascii || ascii;
    std::string kept;
    for (char f : flags) {
      if (f != 'a' && f != 'u') kept += f;
    }
    if (!kept.empty()) emit("(?" + kept + ")", i_);
    i_ = j + 1;
    return true;
  }

  std::string_view p_;
  size_t i_ = 0;
  bool in_class_ = false;
  PcrePattern out_;
};

std::string error_message(int code) {
  PCRE2_UCHAR buffer[256];
  int n = pcre2_get_error_message(code, buffer, sizeof buffer);
  return n < 0 ? "PCRE2 error " + std::to_string(code)
               : std::string(reinterpret_cast<char*>(buffer));
}

struct MatchDataDeleter {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

// One per thread: match() only asks whether there is a match, so one pair of
// offsets is enough for every pattern.
pcre2_match_data* thread_match_data() {
  thread_local std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(
      pcre2_match_data_create(1, nullptr));
  return data.get();
}

}  // namespace

PcrePattern translate_python_regex(std::string_view pattern) { return Translator(pattern).run(); }

struct PythonRegex::Compiled {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  ~Compiled() {
    pcre2_code_free(code);
    pcre2_match_context_free(context);
  }
};

PythonRegex::PythonRegex(std::string_view pattern) : compiled_(std::make_unique<Compiled>()) {
  PcrePattern translated = translate_python_regex(pattern);
  uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (translated.ascii ? 0 : PCRE2_UCP);
  int code = 0;
  PCRE2_SIZE offset = 0;
  compiled_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.pattern.data()),
                                  translated.pattern.size(), options, &code, &offset, nullptr);
  if (compiled_->code == nullptr) {
    size_t at = offset < translated.origin.size() ? translated.origin[offset] : pattern.size();
    throw RegexError(error_message(code), at);
  }
  compiled_->context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(compiled_->context, kMatchLimit);
  pcre2_set_depth_limit(compiled_->context, kDepthLimit);
  pcre2_set_heap_limit(compiled_->context, kHeapLimitKib);
}

PythonRegex::~PythonRegex() = default;

bool PythonRegex::match(std::string_view subject) const {
  int rc = pcre2_match(compiled_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()),
                       subject.size(), 0, PCRE2_ANCHORED, thread_match_data(), compiled_->context);
  if (rc >= 0) return true;  // 0: matched, more groups than offsets kept
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
    throw RegexLimitError("the match gave up: " + error_message(rc) +
                          " (the pattern backtracks too much on this value)");
  }
  throw std::runtime_error("the match failed: " + error_message(rc));
}

}  // namespace connectors::sync
