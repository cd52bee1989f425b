// The start-up checks (es/preflight.h): the wait for the cluster and the
// system-index step last what their settings say, one request per try, log every
// wait, end with an error naming the settings, and stop at once when asked.
#include "es/preflight.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "core/errors.h"
#include "core/logging.h"
#include "service_support.h"

namespace connectors::es {
namespace {

using connectors::testing::count_occurrences;
using connectors::testing::engine_url;
using connectors::testing::FaultProxy;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kRefused = "http://127.0.0.1:1";  // nothing listens on port 1

class PreflightTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ENGINE();
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured_);
    logging::setup(logging::Format::kText, spdlog::level::info, sink_);
  }
  void TearDown() override { logging::setup(logging::Format::kText, spdlog::level::info); }

  // Settings of the test: short waits, and client retries that would stretch
  // every try by seconds if a probe used them.
  static config::Config settings(const std::string& host, int max_wait_s, double backoff_s) {
    config::Config config;
    config.elasticsearch.host = host;
    config.elasticsearch.max_wait_duration_s = max_wait_s;
    config.elasticsearch.initial_backoff_duration_s = backoff_s;
    config.elasticsearch.backoff_multiplier = 2;
    config.elasticsearch.max_retries = 5;
    config.elasticsearch.retry_interval_s = 2;
    return config;
  }
  std::string log() {
    spdlog::default_logger()->flush();
    return captured_.str();
  }
  static double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  std::ostringstream captured_;
  spdlog::sink_ptr sink_;
};

TEST_F(PreflightTest, RefusedConnectionsAreRetriedUntilMaxWaitThenAClearError) {
  auto config = settings(kRefused, 2, 0.2);  // tries at 0, 0.2, 0.6, 1.4 and 2.0 s
  Client client(client_options_from(config.elasticsearch));
  auto start = std::chrono::steady_clock::now();
  try {
    wait_for_cluster(client, config);
    FAIL() << "expected an error";
  } catch (const EsError& e) {
    FAIL() << "expected the wait's own error, got " << e.what();
  } catch (const Error& e) {
    EXPECT_NE(
        std::string(e.what()).find("Elasticsearch at http://127.0.0.1:1 did not answer within "
                                   "2 s (elasticsearch.max_wait_duration), 5 attempts; "
                                   "last error: GET /: connection_error"),
        std::string::npos)
        << e.what();
  }
  double elapsed = seconds_since(start);
  EXPECT_GE(elapsed, 1.95);
  EXPECT_LT(elapsed, 3.0);
  std::string text = log();
  for (int attempt = 1; attempt <= 4; ++attempt) {
    EXPECT_NE(text.find("waiting for Elasticsearch at http://127.0.0.1:1 (attempt " +
                        std::to_string(attempt) + "): GET /: connection_error"),
              std::string::npos)
        << text;
  }
  EXPECT_NE(text.find("next check in 0.2 s"), std::string::npos) << text;
  EXPECT_NE(text.find("next check in 0.8 s"), std::string::npos) << text;
  EXPECT_EQ(text.find("next check in 1.6 s"), std::string::npos) << text;  // cut to the deadline
  EXPECT_EQ(count_occurrences(text, "waiting for Elasticsearch"), 4u) << text;
  EXPECT_EQ(count_occurrences(text, "retry 1/"), 0u)
      << "a probe used the client's retries: " << text;
}

TEST_F(PreflightTest, UnavailableClusterGetsOneRequestPerTry) {
  FaultProxy proxy(engine_url());
  proxy.add_rule({{"status", 503}, {"count", -1}, {"path_regex", "^/$"}});
  auto config = settings(proxy.url(), 1, 0.1);  // tries at 0, 0.1, 0.3, 0.7 and 1.0 s
  Client client(client_options_from(config.elasticsearch));
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(wait_for_cluster(client, config), Error);
  EXPECT_LT(seconds_since(start), 2.0);
  EXPECT_EQ(proxy.stats()["rules"][0]["injected"], 5);
  EXPECT_NE(log().find("(attempt 1): GET /: HTTP 503 injected_fault"), std::string::npos) << log();
}

TEST_F(PreflightTest, ClusterThatComesBackEndsTheWait) {
  FaultProxy proxy(engine_url());
  proxy.add_rule({{"status", 503}, {"count", 2}, {"path_regex", "^/$"}});
  auto config = settings(proxy.url(), 10, 0.1);
  Client client(client_options_from(config.elasticsearch));
  EngineInfo info = wait_for_cluster(client, config);
  EXPECT_FALSE(info.version.empty());
  EXPECT_EQ(count_occurrences(log(), "waiting for Elasticsearch"), 2u) << log();
}

TEST_F(PreflightTest, StopEndsTheWaitAtOnce) {
  auto config = settings(kRefused, 60, 5);
  Client client(client_options_from(config.elasticsearch));
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(300));
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(wait_for_cluster(client, config, stop.get_token()), Cancelled);
  stopper.join();
  EXPECT_LT(seconds_since(start), 1.0);
}

TEST_F(PreflightTest, SystemIndexStepIsRetriedAsConfiguredThenAClearError) {
  auto config = settings(engine_url(), 5, 0.1);
  config.service.preflight_max_attempts = 3;
  config.service.preflight_idle_s = 1;
  Client client(client_options_from(config.elasticsearch));
  int calls = 0;
  auto start = std::chrono::steady_clock::now();
  try {
    preflight(client, config, {}, [&](Client&) {
      ++calls;
      throw std::runtime_error("no room for the index");
    });
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "could not be set up in 3 attempts, 1 s apart (service.preflight_max_attempts, "
                  "service.preflight_idle); last error: no room for the index"),
              std::string::npos)
        << e.what();
  }
  double elapsed = seconds_since(start);
  EXPECT_EQ(calls, 3);
  EXPECT_GE(elapsed, 1.95);
  EXPECT_LT(elapsed, 3.5);
  std::string text = log();
  EXPECT_NE(text.find("failed (attempt 1/3): no room for the index; next attempt in 1 s"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("failed (attempt 2/3)"), std::string::npos) << text;
  EXPECT_EQ(text.find("attempt 3/3"), std::string::npos) << text;
}

TEST_F(PreflightTest, SystemIndexStepUsesOneRequestPerAttempt) {
  FaultProxy proxy(engine_url());
  proxy.add_rule({{"status", 503}, {"count", 2}, {"path_regex", "_cluster/health"}});
  auto config = settings(proxy.url(), 5, 0.1);
  config.elasticsearch.retry_interval_s = 0.01;  // a client retry would hide the failures
  config.service.preflight_max_attempts = 5;
  config.service.preflight_idle_s = 0;
  Client client(client_options_from(config.elasticsearch));
  int calls = 0;
  EngineInfo info = preflight(client, config, {}, [&](Client& once) {
    ++calls;
    once.request("GET", "/_cluster/health");
  });
  EXPECT_FALSE(info.version.empty());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(proxy.stats()["forwarded_by_path"].value("GET /_cluster/health", 0), 1);
}

TEST_F(PreflightTest, RejectedCredentialsEndTheStepAtOnce) {
  FaultProxy proxy(engine_url());
  proxy.add_rule({{"status", 403}, {"count", -1}, {"path_regex", "_cluster/health"}});
  auto config = settings(proxy.url(), 5, 0.1);
  config.service.preflight_max_attempts = 5;
  config.service.preflight_idle_s = 1;
  Client client(client_options_from(config.elasticsearch));
  int calls = 0;
  auto step = [&](Client& once) {
    ++calls;
    once.request("GET", "/_cluster/health");
  };
  EXPECT_THROW(preflight(client, config, {}, step), EsError);
  EXPECT_EQ(calls, 1);
}

// SIGTERM while elastic-ingest waits for the cluster: it stops at once, as a
// requested stop (exit 0), after logging its waits.
TEST_F(PreflightTest, ServiceStopsDuringTheWaitOnSigterm) {
  auto dir = std::filesystem::temp_directory_path() / ("preflight-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string config_path = (dir / "config.yml").string();
  std::ofstream(config_path) << "elasticsearch:\n  host: " << kRefused
                             << "\n  max_wait_duration: 120\n  initial_backoff_duration: 0.2\n"
                             << "connectors:\n  - connector_id: c1\n";
  connectors::testing::ServiceProcess service(config_path, (dir / "service.log").string());
  ASSERT_TRUE(connectors::testing::eventually(
      [&] { return service.log().find("(attempt 2)") != std::string::npos; }, seconds(10)))
      << service.log();
  auto start = std::chrono::steady_clock::now();
  int status = service.stop(SIGTERM);
  EXPECT_LT(seconds_since(start), 2.0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << service.log();
  EXPECT_NE(service.log().find("stopped before start-up finished"), std::string::npos)
      << service.log();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace connectors::es
