#include "service/worker_identity.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace connectors::service {
namespace {

// A child process that exits at once, reaped: its pid names no process.
long long pid_of_an_ended_process() {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(WorkerIdentity, SelfIsComplete) {
  auto self = WorkerIdentity::self("host-a");
  EXPECT_EQ(self.hostname, "host-a");
  EXPECT_FALSE(self.boot_id.empty());
  EXPECT_FALSE(self.pid_namespace.empty());
  EXPECT_EQ(self.pid, static_cast<long long>(::getpid()));
  EXPECT_GT(self.start_ticks, 0);
  EXPECT_EQ(process_start_ticks(self.pid), self.start_ticks);
}

TEST(WorkerIdentity, JsonRoundTripAndBadInput) {
  auto self = WorkerIdentity::self("host-a");
  EXPECT_EQ(WorkerIdentity::from_json(self.to_json()), self);
  EXPECT_FALSE(WorkerIdentity::from_json(nullptr));
  EXPECT_FALSE(WorkerIdentity::from_json({{"hostname", "h"}}));
  EXPECT_FALSE(WorkerIdentity::from_json(
      {{"hostname", 3}, {"boot_id", "b"}, {"pid_namespace", "p"}, {"pid", 1}, {"start_ticks", 1}}));
}

TEST(WorkerIdentity, AProcessThatIsGoneIsDead) {
  auto self = WorkerIdentity::self("host-a");
  auto gone = self;
  gone.pid = pid_of_an_ended_process();
  EXPECT_TRUE(is_dead_local_worker(gone, self));
}

TEST(WorkerIdentity, APidReusedByAnotherProcessIsDead) {
  auto self = WorkerIdentity::self("host-a");
  auto earlier = self;
  earlier.pid = 1;  // init runs, but it is not the process that claimed the job
  earlier.start_ticks = process_start_ticks(1).value_or(0) + 12345;
  EXPECT_TRUE(is_dead_local_worker(earlier, self));
}

TEST(WorkerIdentity, LiveProcessesAndWhatWeCannotSeeAreNeverDead) {
  auto self = WorkerIdentity::self("host-a");
  EXPECT_FALSE(is_dead_local_worker(self, self));
  auto live_other = self;  // another live process of this machine (init)
  live_other.pid = 1;
  live_other.start_ticks = process_start_ticks(1).value_or(-1);
  EXPECT_FALSE(is_dead_local_worker(live_other, self));

  auto gone = self;
  gone.pid = pid_of_an_ended_process();
  auto other_host = gone;
  other_host.hostname = "host-b";
  EXPECT_FALSE(is_dead_local_worker(other_host, self));
  auto other_boot = gone;  // another machine of the same name, or before a reboot
  other_boot.boot_id = "another-boot";
  EXPECT_FALSE(is_dead_local_worker(other_boot, self));
  auto other_container = gone;
  other_container.pid_namespace = "pid:[1]";
  EXPECT_FALSE(is_dead_local_worker(other_container, self));
  auto unknown = gone;
  unknown.boot_id.clear();
  EXPECT_FALSE(is_dead_local_worker(unknown, WorkerIdentity{}));
}

}  // namespace
}  // namespace connectors::service
