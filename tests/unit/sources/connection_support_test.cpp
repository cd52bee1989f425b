// name: connection support of the database sources
// description: retries of transient failures (and a stop ending the wait), PEM
// clean-up, secrets scrubbed from client messages, private certificate files.
#include "sources/common/connection_support.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "core/errors.h"

namespace connectors::sources {
namespace {

TEST(ConnectionSupport, OneLinePemGetsItsLineBreaksBack) {
  std::string one_line = "-----BEGIN CERTIFICATE----- MIIB AAAA BBBB -----END CERTIFICATE-----";
  EXPECT_EQ(common::pem_format(one_line),
            "-----BEGIN CERTIFICATE-----\nMIIB\nAAAA\nBBBB\n-----END CERTIFICATE-----");
  std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\nAAAA\n-----END CERTIFICATE-----\n";
  EXPECT_EQ(common::pem_format(pem),
            "-----BEGIN CERTIFICATE-----\nMIIB\nAAAA\n-----END CERTIFICATE-----");
}

TEST(ConnectionSupport, ScrubMasksTheSecret) {
  EXPECT_EQ(common::scrub("login s3cret failed for s3cret", "s3cret"), "login *** failed for ***");
  EXPECT_EQ(common::scrub("nothing", ""), "nothing");
}

TEST(ConnectionSupport, TransientFailuresAreRetriedOthersAreNot) {
  int calls = 0, resets = 0;
  auto flaky = [&] {
    if (++calls < 3) throw common::TransientError("connection refused");
  };
  common::with_retries(
      3, {}, flaky, [&] { ++resets; }, std::chrono::milliseconds(1));
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(resets, 2);

  calls = 0;
  try {
    common::with_retries(
        2, {},
        [&] {
          ++calls;
          throw common::TransientError("connection refused");
        },
        [] {}, std::chrono::milliseconds(1));
    FAIL();
  } catch (const common::TransientError&) {
    FAIL() << "the last failure is a plain SourceError";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("after 2 attempts"), std::string::npos) << e.what();
  }
  EXPECT_EQ(calls, 2);

  calls = 0;
  EXPECT_THROW(common::with_retries(
                   5, {},
                   [&] {
                     ++calls;
                     throw SourceError("syntax error");
                   },
                   [] {}, std::chrono::milliseconds(1)),
               SourceError);
  EXPECT_EQ(calls, 1);

  calls = 0;
  common::with_retries(
      0, {}, [&] { ++calls; }, [] {});  // retry_count 0: still one attempt
  EXPECT_EQ(calls, 1);
}

TEST(ConnectionSupport, AStopEndsTheWaitBetweenAttempts) {
  std::stop_source stop;
  auto started = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop.request_stop();
  });
  EXPECT_THROW(common::with_retries(
                   3, stop.get_token(), [] { throw common::TransientError("down"); }, [] {},
                   std::chrono::seconds(30)),
               Cancelled);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(ConnectionSupport, CertificateFileIsPrivateAndRemoved) {
  std::string path;
  {
    common::CertificateFile file("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----");
    path = file.path();
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
  struct stat st {};
  EXPECT_NE(::stat(path.c_str(), &st), 0);
}

}  // namespace
}  // namespace connectors::sources
