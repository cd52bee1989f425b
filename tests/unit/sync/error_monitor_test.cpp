#include "sync/error_monitor.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace connectors::sync {
namespace {

config::ErrorMonitorConfig thresholds() {
  config::ErrorMonitorConfig c;
  c.max_total_errors = 5;
  c.max_consecutive_errors = 3;
  c.max_error_rate = 0.5;
  c.error_window_size = 10;
  c.error_queue_size = 2;
  return c;
}

TEST(ErrorMonitor, ConsecutiveErrorsTrip) {
  ErrorMonitor monitor(thresholds());
  for (int i = 0; i < 3; ++i) monitor.error({"d" + std::to_string(i), "t", "r"});
  EXPECT_THROW(monitor.error({"d3", "t", "r"}), Error);
  ASSERT_EQ(monitor.kept().size(), 2u);  // error_queue_size
  EXPECT_EQ(monitor.kept()[0].id, "d0");
}

TEST(ErrorMonitor, SuccessResetsConsecutiveButTotalTrips) {
  ErrorMonitor monitor(thresholds());
  for (int i = 0; i < 5; ++i) {
    monitor.error({"d", "t", "r"});
    monitor.success(20);
  }
  EXPECT_THROW(monitor.error({"d", "t", "r"}), Error);
}

TEST(ErrorMonitor, RateInWindowTrips) {
  auto c = thresholds();
  c.max_consecutive_errors = 100;
  c.max_total_errors = 100;
  ErrorMonitor monitor(c);
  monitor.success(4);
  for (int i = 0; i < 5; ++i) monitor.error({"d", "t", "r"});  // 5 of 9: window not full yet
  monitor.success(1);
  EXPECT_THROW(monitor.error({"d", "t", "r"}), Error);  // 6 of 10 > 0.5
}

TEST(ErrorMonitor, DisabledOnlyCounts) {
  auto c = thresholds();
  c.enabled = false;
  ErrorMonitor monitor(c);
  for (int i = 0; i < 50; ++i) EXPECT_NO_THROW(monitor.error({"d", "t", "r"}));
}

}  // namespace
}  // namespace connectors::sync
