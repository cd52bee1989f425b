// A shared allowance of bytes that threads take before they hold data and give
// back after: bounds the memory of work in flight by size, not only by count.
// A request larger than the whole budget waits until nothing else is held, so
// one big item never deadlocks. Waiters are served in turn (a large request is
// not overtaken for ever by small ones), and a release wakes only the waiters
// it serves: with a hundred download threads waiting, waking them all on each
// release cost more CPU than the downloads.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <stop_token>
#include <utility>

namespace connectors {

class ByteBudget {
 public:
  explicit ByteBudget(size_t total) : total_(total) {}

  // Takes `bytes`, waiting while they would exceed the budget or while others
  // wait before it; false when `stop` was requested first (nothing taken).
  bool acquire(size_t bytes, std::stop_token stop) {
    std::unique_lock lock(mutex_);
    if (waiters_.empty() && fits(bytes)) {
      take(bytes);
      return true;
    }
    Waiter self(bytes);
    waiters_.push_back(&self);
    if (self.turn.wait(lock, stop, [&] { return self.served; })) return true;
    // Stopped before its turn: leave the line, and let those behind it go if they can.
    waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &self));
    serve();
    return false;
  }

  void release(size_t bytes) {
    std::lock_guard lock(mutex_);
    used_ -= std::min(bytes, used_);
    serve();
  }

  // What a holder took; given back when it is destroyed.
  class Hold {
   public:
    Hold() = default;
    Hold(ByteBudget* budget, size_t bytes) : budget_(budget), bytes_(bytes) {}
    Hold(Hold&& other) noexcept
        : budget_(std::exchange(other.budget_, nullptr)), bytes_(other.bytes_) {}
    Hold& operator=(Hold&& other) noexcept {
      if (this != &other) {
        reset();
        budget_ = std::exchange(other.budget_, nullptr);
        bytes_ = other.bytes_;
      }
      return *this;
    }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;
    ~Hold() { reset(); }
    bool holds() const { return budget_ != nullptr; }
    void reset() {
      if (budget_ != nullptr) std::exchange(budget_, nullptr)->release(bytes_);
    }

   private:
    ByteBudget* budget_ = nullptr;
    size_t bytes_ = 0;
  };

  // acquire() as a Hold; an empty Hold when `stop` came first.
  Hold hold(size_t bytes, std::stop_token stop) {
    if (!acquire(bytes, std::move(stop))) return {};
    return Hold(this, bytes);
  }

  size_t high_water() const {
    std::lock_guard lock(mutex_);
    return high_water_;
  }

 private:
  struct Waiter {
    explicit Waiter(size_t wanted) : bytes(wanted) {}
    size_t bytes;
    bool served = false;  // guarded by mutex_
    std::condition_variable_any turn;
  };
  bool fits(size_t bytes) const { return used_ == 0 || used_ + bytes <= total_; }
  void take(size_t bytes) {
    used_ += bytes;
    high_water_ = std::max(high_water_, used_);
  }
  // Gives the bytes to the waiters at the head of the line while they fit.
  void serve() {
    while (!waiters_.empty() && fits(waiters_.front()->bytes)) {
      Waiter* next = waiters_.front();
      waiters_.pop_front();
      take(next->bytes);
      next->served = true;
      next->turn.notify_one();
    }
  }

  const size_t total_;
  mutable std::mutex mutex_;
  std::deque<Waiter*> waiters_;  // guarded by mutex_, in arrival order
  size_t used_ = 0;              // guarded by mutex_
  size_t high_water_ = 0;        // guarded by mutex_
};

}  // namespace connectors
