#include "core/bounded_queue.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace connectors {
namespace {

using namespace std::chrono_literals;

TEST(BoundedQueue, BoundedByItems) {
  BoundedQueue<int> queue(2, 1000);
  std::stop_source stop;
  int a = 1, b = 2, c = 3;
  EXPECT_TRUE(queue.push(a, 1, stop.get_token()));
  EXPECT_TRUE(queue.push(b, 1, stop.get_token()));
  bool timed_out = false;
  EXPECT_FALSE(queue.push(c, 1, stop.get_token(), 50ms, &timed_out));
  EXPECT_TRUE(timed_out);
  EXPECT_EQ(c, 3);  // not consumed
  EXPECT_EQ(*queue.pop(stop.get_token()), 1);
  EXPECT_TRUE(queue.push(c, 1, stop.get_token(), 50ms));
}

TEST(BoundedQueue, BoundedByBytesButAlwaysAdmitsOneItem) {
  BoundedQueue<std::string> queue(100, 10);
  std::stop_source stop;
  std::string big(50, 'x'), small = "s";
  EXPECT_TRUE(queue.push(big, 50, stop.get_token(), 10ms));  // empty queue: admitted
  EXPECT_FALSE(queue.push(small, 1, stop.get_token(), 10ms));
  EXPECT_EQ(queue.bytes(), 50u);
  queue.pop(stop.get_token());
  EXPECT_TRUE(queue.push(small, 1, stop.get_token(), 10ms));
}

TEST(BoundedQueue, BlockedPushWakesWhenConsumed) {
  BoundedQueue<int> queue(1, 100);
  std::stop_source stop;
  int first = 1;
  queue.push(first, 1, stop.get_token());
  std::thread consumer([&] {
    std::this_thread::sleep_for(50ms);
    queue.pop(stop.get_token());
  });
  int second = 2;
  EXPECT_TRUE(queue.push(second, 1, stop.get_token(), 5s));
  consumer.join();
  EXPECT_EQ(queue.size(), 1u);
}

TEST(BoundedQueue, CloseDrainsThenEnds) {
  BoundedQueue<int> queue(10, 100);
  std::stop_source stop;
  int v = 7;
  queue.push(v, 1, stop.get_token());
  queue.close();
  int w = 8;
  EXPECT_FALSE(queue.push(w, 1, stop.get_token()));
  EXPECT_EQ(*queue.pop(stop.get_token()), 7);
  EXPECT_FALSE(queue.pop(stop.get_token()).has_value());
}

TEST(BoundedQueue, StopWakesBothSides) {
  BoundedQueue<int> queue(1, 100);
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(50ms);
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(queue.pop(stop.get_token()).has_value());
  int a = 1, b = 2;
  queue.push(a, 1, stop.get_token());
  bool timed_out = true;
  EXPECT_FALSE(queue.push(b, 1, stop.get_token(), 10s, &timed_out));
  EXPECT_FALSE(timed_out);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(BoundedQueue, PopForReportsIdle) {
  BoundedQueue<int> queue(1, 100);
  std::stop_source stop;
  bool idle = false;
  EXPECT_FALSE(queue.pop_for(20ms, stop.get_token(), &idle).has_value());
  EXPECT_TRUE(idle);
  queue.close();
  EXPECT_FALSE(queue.pop_for(20ms, stop.get_token(), &idle).has_value());
  EXPECT_FALSE(idle);
}

TEST(BoundedQueue, HeldBytesCountUntilReleased) {
  BoundedQueue<std::string> queue(100, 10);
  std::stop_source stop;
  std::string a = "aaaaaa";
  ASSERT_TRUE(queue.push(a, 6, stop.get_token()));
  bool idle = false;
  size_t charged = 0;
  auto got = queue.pop_for_held(20ms, stop.get_token(), &idle, &charged);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(charged, 6u);
  EXPECT_EQ(queue.bytes(), 6u) << "taken, but still held by its consumer";
  std::string b = "bbbbbb";
  std::string c = "cccccc";
  ASSERT_TRUE(queue.push(b, 6, stop.get_token())) << "an empty queue admits one item";
  EXPECT_FALSE(queue.push(c, 6, stop.get_token(), 50ms)) << "12 bytes held of 10";
  queue.release(charged);
  EXPECT_EQ(queue.bytes(), 6u);
  EXPECT_TRUE(queue.push(c, 4, stop.get_token(), 50ms));
  // pop_for() gives the bytes back at once.
  EXPECT_TRUE(queue.pop_for(20ms, stop.get_token(), &idle).has_value());
  EXPECT_EQ(queue.bytes(), 4u);
}

}  // namespace
}  // namespace connectors
