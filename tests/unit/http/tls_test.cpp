// TLS of http::Client against a loopback TLS server whose certificate a test
// CA signed (made with the openssl command, as tests/servers/lib.sh does).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/client.h"
#include "loopback_server.h"

namespace connectors::http {
namespace {

using testing::LoopbackServer;
using testing::ReceivedRequest;
using testing::Reply;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

class HttpTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("http-tls-test." + std::to_string(::getpid())));
    std::filesystem::create_directories(*dir_);
    std::string d = dir_->string();
    std::string script =
        "cd " + d + " && " +
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "
        "'/CN=http test CA' && "
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout wrong.key -out wrong.pem -days 2 -subj "
        "'/CN=wrong CA' && "
        "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "
        "'/CN=127.0.0.1' && "
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext && "
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem "
        "-days 2 -extfile san.ext";
    ASSERT_EQ(std::system(("(" + script + ") >/dev/null 2>&1").c_str()), 0) << "openssl failed";
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  void SetUp() override {
    server_ = std::make_unique<LoopbackServer>(
        [](const ReceivedRequest&) {
          return Reply{200, {}, "secure"};
        },
        (*dir_ / "server.pem").string(), (*dir_ / "server.key").string());
  }

  ClientOptions options() const {
    ClientOptions options;
    options.base_url = server_->url();
    options.retry = {3, std::chrono::milliseconds(10), std::chrono::milliseconds(10), false};
    return options;
  }

  static std::filesystem::path* dir_;
  std::unique_ptr<LoopbackServer> server_;
};

std::filesystem::path* HttpTls::dir_ = nullptr;

TEST_F(HttpTls, VerificationFailsWithoutTheCaAndIsNotRetried) {
  try {
    Client(options()).send({"GET", "/"});
    FAIL() << "verified a certificate no trusted CA signed";
  } catch (const HttpError& e) {
    EXPECT_TRUE(e.is_connection_error());
    EXPECT_EQ(e.curl_code(), CURLE_PEER_FAILED_VERIFICATION) << e.what();
  }
  EXPECT_EQ(server_->connections(), 1);  // a certificate problem does not heal by waiting
}

TEST_F(HttpTls, CaAsPemText) {
  ClientOptions with_ca = options();
  with_ca.tls.ca_pem = slurp(*dir_ / "ca.pem");
  EXPECT_EQ(Client(with_ca).send({"GET", "/"}).body, "secure");

  ClientOptions wrong = options();
  wrong.tls.ca_pem = slurp(*dir_ / "wrong.pem");
  EXPECT_THROW(Client(wrong).send({"GET", "/"}), HttpError);
}

TEST_F(HttpTls, CaAsFile) {
  ClientOptions with_ca = options();
  with_ca.tls.ca_file = (*dir_ / "ca.pem").string();
  EXPECT_EQ(Client(with_ca).send({"GET", "/"}).body, "secure");
}

TEST_F(HttpTls, VerificationOff) {
  ClientOptions unverified = options();
  unverified.tls.verify = false;
  EXPECT_EQ(Client(unverified).send({"GET", "/"}).body, "secure");
}

}  // namespace
}  // namespace connectors::http
