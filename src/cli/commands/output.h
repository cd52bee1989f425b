// What the `connectors` commands print and read: aligned text tables and
// "Label: value" blocks for people, JSON for scripts, and the terminal prompts
// (lines, hidden secrets, yes/no questions). Pure formatting functions, plus
// prompts that read the given stream. Not thread-safe (the prompts touch the
// terminal); the CLI is single-threaded.
#pragma once

#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace connectors::cli {

using nlohmann::json;

// A table cell for a JSON value: strings as they are, null/missing as "-",
// numbers and booleans as JSON writes them, arrays and objects as compact JSON.
std::string cell_text(const json& value);

// `object[key]` as cell_text, "-" when `object` is not an object or lacks `key`.
std::string cell_text(const json& object, const char* key);

// Columns separated by two spaces, each as wide as its widest cell (in UTF-8
// code points); a header row in capitals; no trailing spaces. Control
// characters in cells (newlines of error messages) become spaces.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // Missing cells are "-", extra cells are dropped.
  void add_row(std::vector<std::string> cells);
  // Cells longer than `width` are cut to width-3 code points followed by "...".
  void set_max_width(size_t column, size_t width);
  void align_right(size_t column);

  size_t rows() const { return rows_.size(); }
  std::string render() const;  // ends with a newline

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<size_t> max_width_;  // 0 = unlimited
  std::vector<bool> right_;
};

// Aligned "Label:  value" lines, one per pair (values as they are; "-" when empty).
std::string key_values(const std::vector<std::pair<std::string, std::string>>& pairs);

// Pretty JSON (two spaces) and a newline; invalid UTF-8 is replaced, never thrown.
std::string json_text(const json& value);

// Number of UTF-8 code points of `text` (what a terminal column count needs).
size_t display_width(const std::string& text);

// A connector `configuration` object ({key: {value, sensitive, ...}}) with the
// values of sensitive fields replaced by "***" (empty values stay empty).
json mask_sensitive(const json& configuration);

// --- prompts: the question goes to `out` (stderr in the CLI, so that stdout
// stays clean for --json), the answer comes from `in`. ---

// True when the process's standard input is a terminal.
bool stdin_is_tty();

// One line (without the newline); nullopt at end of input.
std::optional<std::string> prompt_line(const std::string& question, std::istream& in, std::ostream& out);

// Like prompt_line, without echo when `in` is std::cin and stdin is a terminal.
std::optional<std::string> prompt_secret(const std::string& question, std::istream& in, std::ostream& out);

// Asks "question [y/N] "; true only for y or yes (any case). End of input = no.
bool confirm(const std::string& question, std::istream& in, std::ostream& out);

}  // namespace connectors::cli
