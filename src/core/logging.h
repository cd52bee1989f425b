// Process-wide logging setup on top of spdlog: readable lines by default, ECS
// JSON lines (for Filebeat) on request. Every line goes through a formatter that
// masks the values of all Secrets created so far, so a secret that leaks into a
// message by accident (an exception text from a library) is still printed as ***.
// All functions are thread-safe.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace connectors::logging {

enum class Format { kText, kEcsJson };

// Parses DEBUG/INFO/WARNING/WARN/ERROR/CRITICAL (any case). nullopt if unknown.
std::optional<spdlog::level::level_enum> parse_level(std::string_view name);

// Installs the default logger, at `level`, and the transport logger (see
// transport_logger), both writing to `sink` (stderr when null) in `format`.
void setup(Format format, spdlog::level::level_enum level, spdlog::sink_ptr sink = nullptr);

// The logger of the Elasticsearch request trace, named "elastic_transport.node"
// as in the Python framework. It is separate from the default logger so that
// elasticsearch.log_level: debug traces requests while the service logs at INFO:
// its own level is always debug, and the client decides whether it traces.
std::shared_ptr<spdlog::logger> transport_logger();

// Remembers a sensitive value so that the formatter masks it. Values shorter
// than 3 characters are ignored: masking them would garble ordinary text.
void register_secret(std::string_view value);

// Replaces every registered secret in `text` by ***. Exposed for error texts
// that leave the process by other paths than the logger (job documents, stdout).
std::string redact(std::string text);

}  // namespace connectors::logging
