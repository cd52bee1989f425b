// Which job types the scheduler follows for a connector: its features and
// its source's capabilities, in the framework's order.
#include <gtest/gtest.h>

#include "service/scheduler.h"
#include "sources/registry.h"

namespace connectors::service {
namespace {

using nlohmann::json;
using Types = std::vector<std::string>;

json features(bool dls, bool incremental) {
  return {{"document_level_security", {{"enabled", dls}}},
          {"incremental_sync", {{"enabled", incremental}}}};
}

TEST(ScheduledJobTypes, InTheFrameworksOrderWhenEnabledAndDeclared) {
  sources::Capabilities all{.advanced_rules = false, .incremental = true, .access_control = true};
  EXPECT_EQ(scheduled_job_types(features(true, true), all),
            (Types{"access_control", "incremental", "full"}));
  EXPECT_EQ(scheduled_job_types(features(false, true), all), (Types{"incremental", "full"}));
  EXPECT_EQ(scheduled_job_types(features(true, false), all), (Types{"access_control", "full"}));
  EXPECT_EQ(scheduled_job_types(json::object(), all), (Types{"full"}));
}

TEST(ScheduledJobTypes, NeverATypeTheSourceLacks) {
  // A connector's features may say more than its source has (Kibana, a native connector).
  EXPECT_EQ(scheduled_job_types(features(true, true), sources::Capabilities{}), (Types{"full"}));
  EXPECT_EQ(scheduled_job_types(features(true, true), sources::find_source("dir")->capabilities),
            (Types{"full"}));
  EXPECT_EQ(
      scheduled_job_types(features(true, true), sources::find_source("generator")->capabilities),
      (Types{"access_control", "incremental", "full"}));
}

}  // namespace
}  // namespace connectors::service
