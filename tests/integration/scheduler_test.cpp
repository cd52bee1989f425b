// The scheduler's log of a connector whose configuration check keeps failing,
// in a running elastic-ingest: one line for the failure, not one per pass, and
// one when it recovers.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "protocol/statuses.h"
#include "service_support.h"

namespace connectors::service {
namespace {

namespace fs = std::filesystem;
using namespace connectors::testing;

TEST(SchedulerLog, RepeatedCheckFailureIsLoggedOnceThenItsRecovery) {
  REQUIRE_ENGINE();
  es::Client client(fast_retry_options(engine_url()));
  protocol::ensure_system_indices(client);
  protocol::ConnectorStore connectors(client);
  const std::string id = test_index("sched") + "-c1";
  const fs::path dir = fs::temp_directory_path() / id;
  const fs::path folder = dir / "files";
  fs::remove_all(dir);
  fs::create_directories(dir);
  create_connector(connectors, id, "dir", test_index("sched"), {{"directory", folder.string()}});

  ServiceProcess service(write_service_config((dir / "config.yml").string(), {id}),
                         (dir / "service.log").string());
  const std::string failure =
      "connector " + id + ": dir: 'directory' " + folder.string() + " is not a readable folder";
  // service.idling is 1 s: wait for the failure, then let five more passes fail.
  ASSERT_TRUE(eventually([&] { return service.log().find(failure) != std::string::npos; },
                         std::chrono::seconds(30)))
      << service.log();
  std::this_thread::sleep_for(std::chrono::seconds(5));
  EXPECT_EQ(connectors.get(id)->status(), protocol::connector_status::kError);
  EXPECT_EQ(count_occurrences(service.log(), failure), 1u) << service.log();

  fs::create_directories(folder);
  const std::string recovery =
      "connector " + id + ": configuration check passes, recovered after failing ";
  EXPECT_TRUE(eventually([&] { return service.log().find(recovery) != std::string::npos; },
                         std::chrono::seconds(30)))
      << service.log();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  service.stop();
  EXPECT_EQ(count_occurrences(service.log(), recovery), 1u) << service.log();
  EXPECT_EQ(count_occurrences(service.log(), failure), 1u) << service.log();
  EXPECT_EQ(connectors.get(id)->status(), protocol::connector_status::kConnected);
  fs::remove_all(dir);
}

// A TCP port on loopback that takes connections and never says a word: a
// database server that hangs.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd_, 64) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on loopback");
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(SchedulerPing, AHangingSourceDelaysNeitherOtherConnectorsNorTheShutdown) {
  REQUIRE_ENGINE();
  es::Client client(fast_retry_options(engine_url()));
  protocol::ensure_system_indices(client);
  protocol::ConnectorStore connectors(client);
  SilentServer silent;
  const std::string stem = test_index("schedping");
  const fs::path dir = fs::temp_directory_path() / stem;
  fs::remove_all(dir);
  fs::create_directories(dir / "files");
  // Listed first: served one after the other, its ping (30 s connect timeout,
  // then retries) would hold up the next connector's check.
  const std::string hanging = stem + "-a-mysql";
  const std::string healthy = stem + "-b-dir";
  create_connector(connectors, hanging, "mysql", stem,
                   {{"host", "127.0.0.1"}, {"port", silent.port()}, {"user", "u"}, {"password", "p"},
                    {"database", "d"}, {"tables", "*"}});
  client.refresh(protocol::kConnectorsIndex);
  create_connector(connectors, healthy, "dir", stem, {{"directory", (dir / "files").string()}});

  ServiceProcess service(write_service_config((dir / "config.yml").string(), {hanging, healthy}),
                         (dir / "service.log").string());
  EXPECT_TRUE(eventually([&] { return connectors.get(healthy)->status() == protocol::connector_status::kConnected; },
                         std::chrono::seconds(20)))
      << service.log();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // passes go on while the ping hangs
  EXPECT_NE(connectors.get(hanging)->status(), protocol::connector_status::kConnected);
  auto asked = std::chrono::steady_clock::now();
  int status = service.stop(SIGTERM);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(10)) << service.log();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << service.log();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace connectors::service
