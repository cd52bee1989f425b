#include "core/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

namespace connectors::logging {
namespace {

struct SecretRegistry {
  std::mutex mutex;
  std::vector<std::string> values;
};

SecretRegistry& secrets() {
  static SecretRegistry registry;
  return registry;
}

std::string iso_time(spdlog::log_clock::time_point tp) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
}

// Formats a record as text or ECS JSON, then masks registered secrets.
class RedactingFormatter final : public spdlog::formatter {
 public:
  explicit RedactingFormatter(Format format) : format_(format) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string message = redact(std::string(msg.payload.data(), msg.payload.size()));
    std::string line;
    auto level = spdlog::level::to_string_view(msg.level);
    if (format_ == Format::kEcsJson) {
      nlohmann::json doc = {
          {"@timestamp", iso_time(msg.time)},
          {"log.level", std::string(level.data(), level.size())},
          {"message", message},
          {"ecs.version", "1.6.0"},
          {"log.logger", std::string(msg.logger_name.data(), msg.logger_name.size())},
          {"process.pid", static_cast<int>(::getpid())},
          {"service.type", "connectors-cpp"},
      };
      line = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      std::string upper(level.data(), level.size());
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      line = fmt::format("[{}][{}] {}", iso_time(msg.time), upper, message);
    }
    line.push_back('\n');
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<RedactingFormatter>(format_);
  }

 private:
  Format format_;
};

std::shared_ptr<spdlog::logger> make_logger(const std::string& name, spdlog::sink_ptr sink,
                                            Format format, spdlog::level::level_enum level) {
  auto logger = std::make_shared<spdlog::logger>(name, std::move(sink));
  logger->set_formatter(std::make_unique<RedactingFormatter>(format));
  logger->set_level(level);
  logger->flush_on(spdlog::level::info);
  return logger;
}

// The transport logger, replaced by each setup().
struct TransportLoggerState {
  std::mutex mutex;
  std::shared_ptr<spdlog::logger> logger;  // guarded by mutex
};

TransportLoggerState& transport_state() {
  static TransportLoggerState state;
  return state;
}

}  // namespace

std::optional<spdlog::level::level_enum> parse_level(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "debug") return spdlog::level::debug;
  if (lower == "info") return spdlog::level::info;
  if (lower == "warning" || lower == "warn") return spdlog::level::warn;
  if (lower == "error") return spdlog::level::err;
  if (lower == "critical") return spdlog::level::critical;
  return std::nullopt;
}

void setup(Format format, spdlog::level::level_enum level, spdlog::sink_ptr sink) {
  if (!sink) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = make_logger("connectors", sink, format, level);
  auto transport = make_logger("elastic_transport.node", sink, format, spdlog::level::debug);
  spdlog::set_default_logger(logger);
  auto& state = transport_state();
  std::lock_guard lock(state.mutex);
  state.logger = std::move(transport);
}

std::shared_ptr<spdlog::logger> transport_logger() {
  auto& state = transport_state();
  std::lock_guard lock(state.mutex);
  if (!state.logger) {
    state.logger =
        make_logger("elastic_transport.node", std::make_shared<spdlog::sinks::stderr_sink_mt>(),
                    Format::kText, spdlog::level::debug);
  }
  return state.logger;
}

void register_secret(std::string_view value) {
  if (value.size() < 3) return;
  auto& registry = secrets();
  std::lock_guard lock(registry.mutex);
  if (std::find(registry.values.begin(), registry.values.end(), value) == registry.values.end()) {
    registry.values.emplace_back(value);
  }
}

std::string redact(std::string text) {
  auto& registry = secrets();
  std::lock_guard lock(registry.mutex);
  for (const auto& secret : registry.values) {
    for (auto pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + 3)) {
      text.replace(pos, secret.size(), "***");
    }
  }
  return text;
}

}  // namespace connectors::logging
