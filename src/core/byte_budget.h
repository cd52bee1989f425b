// A shared allowance of bytes that threads take before they hold data and give
// back after: bounds the memory of work in flight by size, not only by count.
// A request larger than the whole budget waits until nothing else is held, so
// one big item never deadlocks.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <stop_token>
#include <utility>

namespace connectors {

class ByteBudget {
 public:
  explicit ByteBudget(size_t total) : total_(total) {}

  // Takes `bytes`, waiting while they would exceed the budget; false when
  // `stop` was requested first (nothing taken).
  bool acquire(size_t bytes, std::stop_token stop) {
    std::unique_lock lock(mutex_);
    if (!freed_.wait(lock, stop, [&] { return used_ == 0 || used_ + bytes <= total_; })) {
      return false;
    }
    used_ += bytes;
    high_water_ = std::max(high_water_, used_);
    return true;
  }

  void release(size_t bytes) {
    {
      std::lock_guard lock(mutex_);
      used_ -= std::min(bytes, used_);
    }
    freed_.notify_all();
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
  const size_t total_;
  mutable std::mutex mutex_;
  std::condition_variable_any freed_;
  size_t used_ = 0;        // guarded by mutex_
  size_t high_water_ = 0;  // guarded by mutex_
};

}  // namespace connectors
