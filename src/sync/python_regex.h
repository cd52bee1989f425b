// A regular expression written for Python's `re`, as Kibana users write the
// `regex` basic sync rules the framework applies with re.match(), compiled with
// PCRE2 after translating what the two read differently (Python's `\Z` is
// PCRE2's `\z`, `\uXXXX`, `{,n}`, the global `(?a)` flag). Unicode-aware as a
// Python str pattern is (`\w` matches é). Immutable once built; match() is safe
// from any thread (each thread keeps its own match data).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace connectors::sync {

// A pattern that does not compile: PCRE2's (or the translation's) message and
// the offset in the pattern as the user wrote it.
class RegexError : public std::runtime_error {
 public:
  RegexError(const std::string& message, size_t offset)
      : std::runtime_error(message), offset_(offset) {}
  size_t offset() const { return offset_; }

 private:
  size_t offset_;
};

// A match stopped by PCRE2's limits (a pattern that backtracks catastrophically):
// Python would never return; we fail instead.
class RegexLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The PCRE2 spelling of a Python pattern, exposed for tests.
struct PcrePattern {
  std::string pattern;
  std::vector<size_t> origin;  // per byte of `pattern`: its offset in the Python pattern
  bool ascii = false;          // the (?a) flag: \w, \d, \b, \s and case folding ASCII-only
};
// Throws RegexError for what Python itself refuses in a str pattern ((?L), (?a) with (?u)).
PcrePattern translate_python_regex(std::string_view pattern);

class PythonRegex {
 public:
  // Throws RegexError when the pattern does not compile.
  explicit PythonRegex(std::string_view pattern);
  ~PythonRegex();
  PythonRegex(const PythonRegex&) = delete;
  PythonRegex& operator=(const PythonRegex&) = delete;

  // re.match(): anchored at the start of `subject`, not at its end. Subjects
  // that are not valid UTF-8 are matched as far as they are. Throws
  // RegexLimitError when PCRE2's match, depth or heap limit stops the match.
  bool match(std::string_view subject) const;

  // Limits of one match: backtracking steps, nesting depth, and heap (KiB).
  static constexpr uint32_t kMatchLimit = 10'000'000;
  static constexpr uint32_t kDepthLimit = 10'000'000;
  static constexpr uint32_t kHeapLimitKib = 64 * 1024;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace connectors::sync
