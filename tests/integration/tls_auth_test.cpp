// TLS verification and authentication of the Elasticsearch client, against the
// real engine behind a TLS-terminating, auth-checking nginx
// (tests/servers/tls_proxy.sh), started and stopped by each test.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support.h"

extern char** environ;

namespace connectors::es {
namespace {

using connectors::testing::engine_url;
using connectors::testing::fast_retry_options;

constexpr const char* kUser = "tester";
constexpr const char* kPassword = "tls-test-pw";
constexpr const char* kApiKey = "dGVzdC1pZDp0ZXN0LWtleQ==";
constexpr const char* kWrongPassword = "wrong-pw-5d1c9e";
constexpr const char* kWrongApiKey = "d3JvbmctaWQ6d3Jvbmcta2V5";  // wrong-id:wrong-key

std::string script_path() { return std::string(REPO_ROOT) + "/tests/servers/tls_proxy.sh"; }

bool nginx_installed() {
  if (const char* nginx = std::getenv("NGINX"); nginx != nullptr && *nginx != '\0') {
    return ::access(nginx, X_OK) == 0 ||
           std::system(("command -v '" + std::string(nginx) + "' >/dev/null 2>&1").c_str()) == 0;
  }
  if (::access("/usr/sbin/nginx", X_OK) == 0) return true;
  return std::system("command -v nginx >/dev/null 2>&1") == 0;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

struct RunResult {
  int exit_code = -1;
  std::string out;
};

// Runs `bash tests/servers/tls_proxy.sh COMMAND` with extra environment, its
// stdout captured and its stderr appended to `stderr_file`. Only exec-safe calls
// between fork and exec (the test process may have threads).
RunResult run_script(const std::string& command, const std::map<std::string, std::string>& env,
                     const std::string& stderr_file) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('='));
    if (env.count(name) == 0) env_strings.push_back(entry);
  }
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  std::string bash = "/bin/bash", script = script_path();
  std::vector<char*> argv = {bash.data(), script.data(), const_cast<char*>(command.c_str()),
                             nullptr};

  RunResult result;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    result.out = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  if (err >= 0) ::close(err);
  if (pid < 0) {
    ::close(fds[0]);
    result.out = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) {
      result.out.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// One nginx in front of the engine, in its own state dir. The destructor always
// stops it and removes the dir, whatever state start() left it in.
class TlsProxy {
 public:
  TlsProxy() {
    char dir_template[] = "/tmp/tls-auth-test-XXXXXX";
    if (::mkdtemp(dir_template) != nullptr) dir_ = dir_template;
  }
  ~TlsProxy() { stop(); }
  TlsProxy(const TlsProxy&) = delete;
  TlsProxy& operator=(const TlsProxy&) = delete;

  // Empty on success, else why it did not start.
  std::string start(const std::string& upstream) {
    if (dir_.empty()) return std::string("mkdtemp failed: ") + std::strerror(errno);
    started_ = true;
    RunResult run =
        run_script("start", {{"UPSTREAM", upstream}, {"TLS_STATE_DIR", dir_}}, log_path());
    std::istringstream lines(run.out);
    std::string line;
    while (std::getline(lines, line)) {
      auto eq = line.find('=');
      if (eq != std::string::npos) values_[line.substr(0, eq)] = line.substr(eq + 1);
    }
    if (run.exit_code != 0 || url().empty() || ca().empty() || wrong_ca().empty()) {
      return "tls_proxy.sh start exited with " + std::to_string(run.exit_code) + "; stdout:\n" +
             run.out + "stderr:\n" + read_file(log_path());
    }
    return "";
  }

  void stop() {
    if (dir_.empty()) return;
    if (started_) {
      run_script("stop", {{"TLS_STATE_DIR", dir_}}, log_path());
      // Should the script have failed to stop it, kill the pid it recorded.
      std::string pid_text = read_file(dir_ + "/pid");
      pid_t pid = static_cast<pid_t>(std::atoi(pid_text.c_str()));
      if (pid > 0 &&
          read_file("/proc/" + std::to_string(pid) + "/cmdline").find(dir_) != std::string::npos) {
        ::kill(pid, SIGKILL);
      }
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    dir_.clear();
  }

  std::string url() const { return value("url"); }
  std::string ca() const { return value("ca"); }
  std::string wrong_ca() const { return value("wrong_ca"); }
  std::string access_log() const { return read_file(dir_ + "/access.log"); }

  // Access log lines starting with `prefix` ("401 GET /"). nginx writes a line
  // just after the response has gone out, so wait briefly for `at_least` of them,
  // then a little more for any late one.
  long count_requests(const std::string& prefix, long at_least = 1) const {
    auto count = [&] {
      long n = 0;
      std::istringstream lines(access_log());
      std::string line;
      while (std::getline(lines, line)) {
        if (line.rfind(prefix, 0) == 0 &&
            (line.size() == prefix.size() || line[prefix.size()] == ' ' ||
             line[prefix.size()] == '?'))
          ++n;
      }
      return n;
    };
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (count() < at_least && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    return count();
  }

 private:
  std::string value(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? "" : it->second;
  }
  std::string log_path() const { return dir_ + "/script.log"; }

  std::string dir_;
  bool started_ = false;
  std::map<std::string, std::string> values_;
};

class TlsAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ENGINE();
    if (!nginx_installed()) {
      GTEST_FAIL() << "nginx is not installed: the TLS/auth tests need it; run "
                      "scripts/install-deps.sh (Debian package nginx-light)";
    }
    proxy_ = std::make_unique<TlsProxy>();
    std::string problem = proxy_->start(engine_url());
    if (!problem.empty()) GTEST_FAIL() << "could not start the TLS proxy: " << problem;
  }
  void TearDown() override { proxy_.reset(); }

  // Options for the proxy: fast retries, and the number of retries given.
  ClientOptions options(int max_retries = 1) {
    ClientOptions options = fast_retry_options(proxy_->url());
    options.max_retries = max_retries;
    options.transport.timeout = std::chrono::seconds(10);
    return options;
  }
  ClientOptions basic_auth(const std::string& password, int max_retries = 1) {
    ClientOptions o = options(max_retries);
    o.transport.username = kUser;
    o.transport.password = Secret(password);
    return o;
  }

  // Runs `call`, which must throw EsError, and returns it.
  template <typename F>
  EsError expect_error(F&& call) {
    try {
      call();
    } catch (const EsError& e) {
      return e;
    }
    ADD_FAILURE() << "expected an EsError";
    return EsError(-1, "none", "no error was thrown");
  }

  static void expect_no_credentials(const EsError& e) {
    std::string text = e.what();
    EXPECT_EQ(text.find(kPassword), std::string::npos) << text;
    EXPECT_EQ(text.find(kWrongPassword), std::string::npos) << text;
    EXPECT_EQ(text.find(kApiKey), std::string::npos) << text;
    EXPECT_EQ(text.find(kWrongApiKey), std::string::npos) << text;
    EXPECT_EQ(text.find("dGVzdGVyOnRscy10ZXN0LXB3"), std::string::npos)
        << text;  // tester:tls-test-pw
  }

  static void expect_certificate_failure(const EsError& e) {
    EXPECT_EQ(e.status(), 0) << e.what();
    EXPECT_TRUE(e.is_connection_error()) << e.what();
    EXPECT_EQ(e.type(), "connection_error") << e.what();
    EXPECT_NE(lower(e.what()).find("certificate"), std::string::npos)
        << "the message should say it is a certificate problem: " << e.what();
  }

  std::unique_ptr<TlsProxy> proxy_;
};

TEST_F(TlsAuthTest, CaFileAndBasicAuthWork) {
  auto o = basic_auth(kPassword);
  o.transport.ca_certs = proxy_->ca();
  Client client(o);
  EngineInfo info = client.info();
  EXPECT_FALSE(info.version.empty());
  EXPECT_GT(info.major, 0);
  // Several requests over the same kept-alive TLS connection.
  client.info();
  auto health = client.request("GET", "/_cluster/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(proxy_->count_requests("200 GET /", 2), 2) << proxy_->access_log();
  EXPECT_EQ(proxy_->count_requests("200 GET /_cluster/health"), 1) << proxy_->access_log();
}

TEST_F(TlsAuthTest, VerificationIsOnByDefaultAndTheTestCaIsNotTrusted) {
  auto o = basic_auth(kPassword);
  ASSERT_TRUE(o.transport.verify_certs);
  ASSERT_TRUE(o.transport.ca_certs.empty());
  Client client(o);
  EsError e = expect_error([&] { client.info(); });
  expect_certificate_failure(e);
  expect_no_credentials(e);
  EXPECT_EQ(proxy_->access_log(), "") << "no request may get past a failed handshake";
}

TEST_F(TlsAuthTest, WrongCaIsRejected) {
  auto o = basic_auth(kPassword);
  o.transport.ca_certs = proxy_->wrong_ca();
  Client client(o);
  EsError e = expect_error([&] { client.info(); });
  expect_certificate_failure(e);
  expect_no_credentials(e);
  EXPECT_EQ(proxy_->access_log(), "");
}

TEST_F(TlsAuthTest, VerifyCertsFalseWorksWithoutCa) {
  auto o = basic_auth(kPassword);
  o.transport.verify_certs = false;
  Client client(o);
  EXPECT_FALSE(client.info().version.empty());
  // Even the wrong CA is then irrelevant.
  o.transport.ca_certs = proxy_->wrong_ca();
  Client with_wrong_ca(o);
  EXPECT_FALSE(with_wrong_ca.info().version.empty());
}

TEST_F(TlsAuthTest, WrongPasswordIsUnauthorizedAndNotRetried) {
  auto o = basic_auth(kWrongPassword, /*max_retries=*/5);
  o.transport.ca_certs = proxy_->ca();
  Client client(o);
  EsError e = expect_error([&] { client.info(); });
  EXPECT_EQ(e.status(), 401) << e.what();
  EXPECT_EQ(e.type(), "security_exception") << e.what();
  EXPECT_EQ(e.reason(), "missing authentication credentials");
  expect_no_credentials(e);
  EXPECT_EQ(proxy_->count_requests("401 GET /"), 1) << "a 401 must not be retried; access log:\n"
                                                    << proxy_->access_log();
  EXPECT_EQ(proxy_->count_requests("200", 0), 0) << proxy_->access_log();
}

TEST_F(TlsAuthTest, NoCredentialsIsUnauthorized) {
  auto o = options(5);
  o.transport.ca_certs = proxy_->ca();
  Client client(o);
  EsError e = expect_error([&] { client.info(); });
  EXPECT_EQ(e.status(), 401) << e.what();
  EXPECT_EQ(e.type(), "security_exception") << e.what();
  EXPECT_EQ(proxy_->count_requests("401 GET /"), 1) << proxy_->access_log();
}

TEST_F(TlsAuthTest, ApiKeyWorks) {
  auto o = options();
  o.transport.ca_certs = proxy_->ca();
  o.transport.api_key = Secret(kApiKey);
  Client client(o);
  EXPECT_FALSE(client.info().version.empty());
  EXPECT_EQ(proxy_->count_requests("200 GET /"), 1) << proxy_->access_log();
}

TEST_F(TlsAuthTest, ApiKeyWinsOverBasicAuth) {
  auto o = basic_auth(kWrongPassword);
  o.transport.ca_certs = proxy_->ca();
  o.transport.api_key = Secret(kApiKey);
  Client client(o);
  EXPECT_FALSE(client.info().version.empty());
}

TEST_F(TlsAuthTest, WrongApiKeyIsUnauthorizedAndNotRetried) {
  auto o = options(5);
  o.transport.ca_certs = proxy_->ca();
  o.transport.api_key = Secret(kWrongApiKey);
  Client client(o);
  EsError e = expect_error([&] { client.info(); });
  EXPECT_EQ(e.status(), 401) << e.what();
  EXPECT_EQ(e.type(), "security_exception") << e.what();
  expect_no_credentials(e);
  EXPECT_EQ(proxy_->count_requests("401 GET /"), 1) << proxy_->access_log();
}

TEST_F(TlsAuthTest, PasswordNeverAppearsInErrors) {
  // Every failure mode with the right password configured: none may echo it.
  auto o = basic_auth(kPassword);
  Client untrusted(o);
  expect_no_credentials(expect_error([&] { untrusted.info(); }));
  o.transport.ca_certs = proxy_->wrong_ca();
  Client wrong_ca(o);
  expect_no_credentials(expect_error([&] { wrong_ca.info(); }));
  o.transport.ca_certs = proxy_->ca();
  Client ok(o);
  EsError not_found =
      expect_error([&] { ok.request("GET", "/tls-auth-test-no-such-index/_doc/1"); });
  EXPECT_EQ(not_found.status(), 404) << not_found.what();
  expect_no_credentials(not_found);
  // And the wrong one, which the proxy rejects.
  auto bad = basic_auth(kWrongPassword);
  bad.transport.ca_certs = proxy_->ca();
  Client rejected(bad);
  expect_no_credentials(expect_error([&] { rejected.info(); }));
}

}  // namespace
}  // namespace connectors::es
