// Process-wide logging setup on top of spdlog: readable lines by default, ECS
// JSON lines (for Filebeat) on request. Every line goes through a formatter that
// masks the values of all Secrets created so far, so a secret that leaks into a
// message by accident (an exception text from a library) is still printed as ***.
// All functions are thread-safe.
#pragma once

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <string_view>

namespace connectors::logging {

enum class Format { kText, kEcsJson };

// Parses DEBUG/INFO/WARNING/WARN/ERROR/CRITICAL (any case). nullopt if unknown.
std::optional<spdlog::level::level_enum> parse_level(std::string_view name);

// Installs the default logger writing to stderr with the given format and level.
void setup(Format format, spdlog::level::level_enum level);

// Remembers a sensitive value so that the formatter masks it. Values shorter
// than 3 characters are ignored: masking them would garble ordinary text.
void register_secret(std::string_view value);

// Replaces every registered secret in `text` by ***. Exposed for error texts
// that leave the process by other paths than the logger (job documents, stdout).
std::string redact(std::string text);

}  // namespace connectors::logging
