#include "core/byte_budget.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace connectors {
namespace {

using namespace std::chrono_literals;

TEST(ByteBudget, WaitsUntilEnoughIsGivenBack) {
  ByteBudget budget(100);
  auto first = budget.hold(60, {});
  std::atomic<bool> taken{false};
  std::thread second([&] {
    auto hold = budget.hold(60, {});
    taken = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(taken) << "60 + 60 is over the budget of 100";
  first.reset();
  second.join();
  EXPECT_TRUE(taken);
  EXPECT_EQ(budget.high_water(), 60u);
}

TEST(ByteBudget, ARequestLargerThanTheBudgetWaitsOnlyForNothingToBeHeld) {
  ByteBudget budget(100);
  auto big = budget.hold(500, {});
  EXPECT_EQ(budget.high_water(), 500u);
  std::atomic<bool> taken{false};
  std::thread small([&] {
    auto hold = budget.hold(1, {});
    taken = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(taken);
  big.reset();
  small.join();
  EXPECT_TRUE(taken);
}

// With a stop already requested, acquire() only says whether the bytes fit now.
bool fits_now(ByteBudget& budget, size_t bytes) {
  std::stop_source stopped;
  stopped.request_stop();
  return budget.acquire(bytes, stopped.get_token());
}

TEST(ByteBudget, AStopEndsTheWaitWithNothingTaken) {
  ByteBudget budget(10);
  auto held = budget.hold(10, {});
  std::stop_source stop;
  std::atomic<bool> empty{false};
  std::thread waiter([&] {
    ByteBudget::Hold hold = budget.hold(5, stop.get_token());
    empty = stop.stop_requested();
  });
  std::this_thread::sleep_for(20ms);
  stop.request_stop();
  waiter.join();
  EXPECT_TRUE(empty);
  held.reset();
  EXPECT_TRUE(fits_now(budget, 10)) << "the stopped wait took nothing";
}

TEST(ByteBudget, WaitersAreServedInTurnSoALargeOneIsNotOvertaken) {
  ByteBudget budget(100);
  auto held = budget.hold(90, {});
  std::atomic<bool> large_taken{false};
  std::atomic<bool> small_taken{false};
  std::thread large([&] {
    auto hold = budget.hold(50, {});
    large_taken = true;
    std::this_thread::sleep_for(30ms);
  });
  std::this_thread::sleep_for(30ms);  // the large request waits first
  std::thread small([&] {
    auto hold = budget.hold(5, {});
    small_taken = true;
  });
  std::this_thread::sleep_for(30ms);
  EXPECT_FALSE(small_taken) << "5 fits beside 90, but the request of 50 came first";
  held.reset();
  large.join();
  small.join();
  EXPECT_TRUE(large_taken);
  EXPECT_TRUE(small_taken);
}

TEST(ByteBudget, AStoppedWaiterLetsThoseBehindItGo) {
  ByteBudget budget(100);
  auto held = budget.hold(60, {});
  std::stop_source stop;
  std::thread large([&] { EXPECT_FALSE(budget.hold(50, stop.get_token()).holds()); });
  std::this_thread::sleep_for(30ms);
  std::atomic<bool> small_taken{false};
  std::thread small([&] {
    auto hold = budget.hold(30, {});
    small_taken = true;
  });
  std::this_thread::sleep_for(30ms);
  EXPECT_FALSE(small_taken) << "waits behind the request of 50";
  stop.request_stop();
  large.join();
  small.join();
  EXPECT_TRUE(small_taken) << "60 + 30 fits once the request of 50 left the line";
}

TEST(ByteBudget, AMovedHoldGivesBackOnce) {
  ByteBudget budget(10);
  auto a = budget.hold(10, {});
  ByteBudget::Hold b = std::move(a);
  a.reset();
  EXPECT_FALSE(fits_now(budget, 1)) << "b still holds all 10";
  b.reset();
  EXPECT_TRUE(fits_now(budget, 10));
}

}  // namespace
}  // namespace connectors
