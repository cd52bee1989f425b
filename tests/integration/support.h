// Shared helpers of the integration tests: the engine under test (ES_URL,
// ENGINE, started by `make test` through tests/servers/elasticsearch.sh) and a
// fault-injecting proxy (tests/fault_proxy) started per test and always stopped.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "es/client.h"

namespace connectors::testing {

inline std::string engine_url() {
  const char* url = std::getenv("ES_URL");
  return url ? url : "";
}

inline std::string engine_name() {
  const char* name = std::getenv("ENGINE");
  return name ? name : "opensearch";
}

#define REQUIRE_ENGINE()                                                            \
  if (::connectors::testing::engine_url().empty()) {                                \
    GTEST_FAIL() << "ES_URL is not set: run the integration tests with `make test`"; \
  }

inline es::ClientOptions fast_retry_options(const std::string& url) {
  es::ClientOptions options;
  options.transport.host = url;
  options.transport.timeout = std::chrono::seconds(30);
  options.max_retries = 5;
  options.retry_base = std::chrono::milliseconds(20);
  options.retry_cap = std::chrono::milliseconds(200);
  return options;
}

// A unique index name per test, so tests never see each other's data.
inline std::string test_index(const std::string& stem) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "it-" + stem + "-" + info->name() + "-" + std::to_string(::getpid());
  for (auto& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '/') c = '-';  // parameterized tests are named "Test/param"
  }
  return name;
}

// Runs tests/fault_proxy/fault_proxy.py in front of the engine for one test.
class FaultProxy {
 public:
  explicit FaultProxy(const std::string& upstream) {
    port_file_ = "/tmp/fault-proxy-" + std::to_string(::getpid()) + "-" +
                 std::to_string(reinterpret_cast<uintptr_t>(this)) + ".port";
    std::remove(port_file_.c_str());
    pid_ = ::fork();
    if (pid_ == 0) {
      std::string script = std::string(REPO_ROOT) + "/tests/fault_proxy/fault_proxy.py";
      ::execlp("python3", "python3", script.c_str(), "--upstream", upstream.c_str(),
               "--listen-port", "0", "--port-file", port_file_.c_str(), nullptr);
      ::_exit(127);
    }
    for (int i = 0; i < 200 && port_.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      std::ifstream in(port_file_);
      std::getline(in, port_);
    }
    if (port_.empty()) throw std::runtime_error("fault proxy did not start");
  }
  ~FaultProxy() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::remove(port_file_.c_str());
  }
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + port_; }

  void add_rule(const nlohmann::json& rule) {
    control().request("POST", "/__fault/rules", rule.dump());
  }
  nlohmann::json stats() {
    return nlohmann::json::parse(control().request("GET", "/__fault/stats").body);
  }

 private:
  es::Client& control() {
    if (!control_) {
      auto options = fast_retry_options(url());
      options.max_retries = 0;
      control_ = std::make_unique<es::Client>(options);
    }
    return *control_;
  }

  pid_t pid_ = -1;
  std::string port_file_;
  std::string port_;
  std::unique_ptr<es::Client> control_;
};

}  // namespace connectors::testing
