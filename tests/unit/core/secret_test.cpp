#include "core/secret.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "config/loader.h"
#include "core/logging.h"
#include "es/errors.h"

namespace connectors {
namespace {

TEST(Secret, PrintsOnlyAsMask) {
  Secret secret("p4ssw0rd-value");
  std::ostringstream out;
  out << secret;
  EXPECT_EQ(out.str(), "***");
  EXPECT_EQ(fmt::format("pw={}", secret), "pw=***");
  EXPECT_EQ(secret.reveal(), "p4ssw0rd-value");
}


std::string capture_stderr(const std::function<void()>& body) {
  testing::internal::CaptureStderr();
  body();
  spdlog::default_logger()->flush();
  return testing::internal::GetCapturedStderr();
}

TEST(SecretLogging, ConfigPasswordNeverReachesALogLineOrError) {
  const std::string password = "Zq9-very-secret-pw";
  const std::string api_key = "QmFzZTY0QXBpS2V5VmFsdWU=";
  auto config = config::load_config_string("elasticsearch:\n  password: " + password +
                                           "\n  api_key: " + api_key + "\n")
                    .config;
  for (auto format : {logging::Format::kText, logging::Format::kEcsJson}) {
    logging::setup(format, spdlog::level::debug);
    std::string logged = capture_stderr([&] {
      spdlog::info("password={} key={}", config.elasticsearch.password, config.elasticsearch.api_key);
      // Even a plain string that slipped through (say, a library's message) is masked.
      spdlog::error("library said: auth failed for elastic:{}", config.elasticsearch.password.reveal());
    });
    EXPECT_EQ(logged.find(password), std::string::npos) << logged;
    EXPECT_EQ(logged.find(api_key), std::string::npos) << logged;
    EXPECT_NE(logged.find("***"), std::string::npos) << logged;
  }
  es::EsError error(401, "security_exception",
                    logging::redact("unable to authenticate with " + password), "GET /");
  EXPECT_EQ(std::string(error.what()).find(password), std::string::npos);
}

TEST(Logging, EcsJsonLinesAreJson) {
  logging::setup(logging::Format::kEcsJson, spdlog::level::info);
  std::string logged = capture_stderr([] { spdlog::warn("hello \"world\""); });
  auto doc = nlohmann::json::parse(logged);
  EXPECT_EQ(doc["message"], "hello \"world\"");
  EXPECT_EQ(doc["log.level"], "warning");
  EXPECT_TRUE(doc.contains("@timestamp"));
  EXPECT_EQ(doc["ecs.version"], "1.6.0");
}

TEST(Logging, TextLinesAndLevels) {
  logging::setup(logging::Format::kText, spdlog::level::warn);
  std::string logged = capture_stderr([] {
    spdlog::info("hidden line");
    spdlog::error("shown line");
  });
  EXPECT_EQ(logged.find("hidden line"), std::string::npos);
  EXPECT_NE(logged.find("[ERROR] shown line"), std::string::npos) << logged;
  EXPECT_EQ(logging::parse_level("warning"), spdlog::level::warn);
  EXPECT_EQ(logging::parse_level("CRITICAL"), spdlog::level::critical);
  EXPECT_FALSE(logging::parse_level("loud").has_value());
}

}  // namespace
}  // namespace connectors
