#include "sources/odbc/connection_string.h"

#include "sources/common/python_text.h"

namespace connectors::sources::odbc {

bool needs_braces(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-' || c == ':' || c == ',' || c == '/' || c == '@' ||
                 c == '+';
    if (!plain) return true;
  }
  return false;
}

std::string braced(std::string_view value) {
  std::string out = "{";
  for (char c : value) {
    out += c;
    if (c == '}') out += '}';
  }
  return out + "}";
}

ConnectionString& ConnectionString::set(std::string key, std::string value) {
  for (auto& e : entries_) {
    if (common::lower(e.key) == common::lower(key)) {
      e = {std::move(key), std::move(value), false};
      return *this;
    }
  }
  entries_.push_back({std::move(key), std::move(value), false});
  return *this;
}

ConnectionString& ConnectionString::set_secret(std::string key, Secret value) {
  std::string name = key;
  set(std::move(key), value.reveal());
  for (auto& e : entries_) {
    if (common::lower(e.key) == common::lower(name)) e.secret = true;
  }
  return *this;
}

std::string ConnectionString::get(std::string_view key) const {
  for (const auto& e : entries_) {
    if (common::lower(e.key) == common::lower(key))
      return e.secret ? std::string(Secret::kMask) : e.value;
  }
  return "";
}

std::string ConnectionString::render(bool reveal) const {
  std::string out;
  for (const auto& e : entries_) {
    std::string_view value = e.secret && !reveal ? Secret::kMask : std::string_view(e.value);
    out +=
        e.key + "=" + (needs_braces(value) || e.secret ? braced(value) : std::string(value)) + ";";
  }
  return out;
}

std::string ConnectionString::text() const { return render(true); }
std::string ConnectionString::masked() const { return render(false); }

}  // namespace connectors::sources::odbc
