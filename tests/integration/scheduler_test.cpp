// The scheduler's log of a connector whose configuration check keeps failing,
// in a running elastic-ingest: one line for the failure, not one per pass, and
// one when it recovers.
#include <fcntl.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace connectors::service
