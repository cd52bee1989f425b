#include "config/env_expand.h"

#include <cctype>
#include <cstdlib>

#include "core/errors.h"

namespace connectors::config {
namespace {

bool is_name_char(char c, bool first) {
  return c == '_' || std::isalpha(static_cast<unsigned char>(c)) ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::string expand_env(std::string_view text, std::string_view key, const EnvLookup& env) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out.push_back(c);
      continue;
    }
    char next = text[i + 1];
    if (next == '$') {
      out.push_back('$');
      ++i;
      continue;
    }
    std::string name;
    std::optional<std::string> fallback;
    size_t end = i;
    if (next == '{') {
      size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        throw ConfigError(std::string(key), "unclosed '${' in value");
      }
      std::string_view inner = text.substr(i + 2, close - i - 2);
      size_t sep = inner.find(":-");
      name = std::string(inner.substr(0, sep));
      if (sep != std::string_view::npos) fallback = std::string(inner.substr(sep + 2));
      end = close;
    } else if (is_name_char(next, true)) {
      size_t j = i + 1;
      while (j < text.size() && is_name_char(text[j], j == i + 1)) ++j;
      name = std::string(text.substr(i + 1, j - i - 1));
      end = j - 1;
    } else {
      out.push_back(c);
      continue;
    }
    if (name.empty() || !is_name_char(name[0], true)) {
      throw ConfigError(std::string(key), "bad environment variable reference");
    }
    auto value = env(name);
    if (!value && !fallback) {
      throw ConfigError(std::string(key), "environment variable " + name + " is not set");
    }
    out += value ? *value : *fallback;
    i = end;
  }
  return out;
}

}  // namespace connectors::config
