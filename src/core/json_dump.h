// Compact JSON text of a value, byte for byte what nlohmann's
// dump(-1, ' ', false, error_handler_t::replace) writes, faster: strings are
// copied in runs of bytes that need no escape (eight at a time) instead of
// one byte per call. A document's `body` can be megabytes of text, and
// nlohmann's escaping was a tenth of a file-store sync's CPU. A string with
// invalid UTF-8 (rare: extracted text is sanitised) is left to nlohmann, so
// that its replacement characters come out exactly as before.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace connectors {

// Appends the compact JSON text of `value` to `out`.
void append_json(const nlohmann::json& value, std::string& out);

inline std::string dump_json(const nlohmann::json& value) {
  std::string out;
  append_json(value, out);
  return out;
}

}  // namespace connectors
