#include "cli/commands/output.h"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

namespace connectors::cli {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Byte offset just past the first `points` code points of `text`.
size_t offset_of(const std::string& text, size_t points) {
  size_t i = 0;
  size_t seen = 0;
  while (i < text.size()) {
    if (!is_continuation(static_cast<unsigned char>(text[i]))) {
      if (seen == points) return i;
      ++seen;
    }
    ++i;
  }
  return text.size();
}

std::string clean_cell(std::string text) {
  for (auto& c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  return text.empty() ? "-" : text;
}

std::string to_lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Turns terminal echo off for its lifetime (when stdin is a terminal).
class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

}  // namespace

std::string cell_text(const json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string cell_text(const json& object, const char* key) {
  if (!object.is_object()) return "-";
  auto it = object.find(key);
  return it == object.end() ? "-" : cell_text(*it);
}

size_t display_width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return !is_continuation(static_cast<unsigned char>(c));
  }));
}

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)), max_width_(headers_.size(), 0), right_(headers_.size(), false) {}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size(), "-");
  for (size_t i = 0; i < cells.size(); ++i) {
    cells[i] = clean_cell(std::move(cells[i]));
    size_t limit = max_width_[i];
    if (limit > 3 && display_width(cells[i]) > limit) {
      cells[i] = cells[i].substr(0, offset_of(cells[i], limit - 3)) + "...";
    }
  }
  rows_.push_back(std::move(cells));
}

void Table::set_max_width(size_t column, size_t width) {
  if (column < max_width_.size()) max_width_[column] = width;
}

void Table::align_right(size_t column) {
  if (column < right_.size()) right_[column] = true;
}

std::string Table::render() const {
  std::vector<size_t> width(headers_.size(), 0);
  for (size_t i = 0; i < headers_.size(); ++i) width[i] = display_width(headers_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], display_width(row[i]));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string pad(width[i] - display_width(cells[i]), ' ');
      if (i > 0) text += "  ";
      text += right_[i] ? pad + cells[i] : cells[i] + pad;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
  return out;
}

std::string key_values(const std::vector<std::pair<std::string, std::string>>& pairs) {
  size_t width = 0;
  for (const auto& [label, value] : pairs) width = std::max(width, display_width(label) + 1);
  std::string out;
  for (const auto& [label, value] : pairs) {
    std::string text = label + ":" + std::string(width - display_width(label) - 1, ' ') + "  " +
                       (value.empty() ? "-" : value);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  return out;
}

std::string json_text(const json& value) {
  return value.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

json mask_sensitive(const json& configuration) {
  if (!configuration.is_object()) return configuration;
  json out = configuration;
  for (auto& [key, field] : out.items()) {
    if (!field.is_object() || !field.value("sensitive", false)) continue;
    auto it = field.find("value");
    if (it == field.end() || it->is_null()) continue;
    if (it->is_string() && it->get<std::string>().empty()) continue;
    *it = "***";
  }
  return out;
}

bool stdin_is_tty() { return ::isatty(STDIN_FILENO) == 1; }

std::optional<std::string> prompt_line(const std::string& question, std::istream& in, std::ostream& out) {
  out << question << std::flush;
  std::string answer;
  if (!std::getline(in, answer)) {
    out << "\n";
    return std::nullopt;
  }
  if (!answer.empty() && answer.back() == '\r') answer.pop_back();
  return answer;
}

std::optional<std::string> prompt_secret(const std::string& question, std::istream& in, std::ostream& out) {
  if (&in != &std::cin || !stdin_is_tty()) return prompt_line(question, in, out);
  std::optional<std::string> answer;
  {
    EchoOff quiet;
    answer = prompt_line(question, in, out);
  }
  out << "\n";  // the user's Enter was not echoed
  return answer;
}

bool confirm(const std::string& question, std::istream& in, std::ostream& out) {
  auto answer = prompt_line(question + " [y/N] ", in, out);
  if (!answer) return false;
  std::string a = to_lower(*answer);
  return a == "y" || a == "yes";
}

}  // namespace connectors::cli
