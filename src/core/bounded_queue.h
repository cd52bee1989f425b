// BoundedQueue is a multi-producer, multi-consumer FIFO bounded both in items
// and in bytes (each item brings its own byte cost). push() blocks while the
// queue is full — that is the back-pressure from Elasticsearch to the source —
// except that an empty queue always admits one item, however large, so a big
// document can never wedge the sync. close() wakes every waiter: producers get
// false, consumers drain what is left and then get nullopt. A stop_token wakes
// a blocked call too. A consumer may keep an item's bytes counted until it is
// done with the item (pop_for_held / release). All members are thread-safe.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stop_token>

namespace connectors {

template <typename T>
class BoundedQueue {
 public:
  BoundedQueue(size_t max_items, size_t max_bytes) : max_items_(max_items), max_bytes_(max_bytes) {}

  // Blocks until there is room, the queue is closed or `stop` is requested.
  // Returns false (and drops nothing: `item` is untouched) unless it was queued.
  // `max_wait` bounds how long it may stay blocked; past it, returns false with
  // *timed_out set, which the caller reports as an overloaded cluster.
  bool push(T& item, size_t bytes, std::stop_token stop,
            std::chrono::milliseconds max_wait = std::chrono::hours(24 * 365),
            bool* timed_out = nullptr) {
    std::unique_lock lock(mutex_);
    bool ready = not_full_.wait_for(lock, stop, max_wait, [&] {
      return closed_ || items_.empty() ||
             (items_.size() < max_items_ && bytes_ + bytes <= max_bytes_);
    });
    if (!ready) {
      if (timed_out != nullptr) *timed_out = !stop.stop_requested();
      return false;
    }
    if (closed_) return false;
    items_.push_back({std::move(item), bytes});
    bytes_ += bytes;
    not_empty_.notify_one();
    return true;
  }

  // Blocks until an item is there; nullopt once closed and drained, or stopped.
  std::optional<T> pop(std::stop_token stop) {
    bool idle = false;
    return pop_for(std::chrono::hours(24 * 365), stop, &idle);
  }

  // Like pop(), but gives up after `wait`; *idle is set when it gave up for that
  // reason, so that a consumer can flush what it holds while the source is slow.
  std::optional<T> pop_for(std::chrono::milliseconds wait, std::stop_token stop, bool* idle) {
    size_t charged = 0;
    return take(wait, stop, idle, false, charged);
  }

  // Like pop_for(), but the item's bytes (set in *charged) stay counted against
  // the bound until release(*charged): the bound then covers what consumers hold
  // as well as what waits, so a consumer batching items cannot double the memory.
  std::optional<T> pop_for_held(std::chrono::milliseconds wait, std::stop_token stop, bool* idle,
                                size_t* charged) {
    return take(wait, stop, idle, true, *charged);
  }

  // Gives back bytes of items taken by pop_for_held().
  void release(size_t bytes) {
    std::lock_guard lock(mutex_);
    bytes_ -= std::min(bytes, bytes_);
    not_full_.notify_all();
  }

  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  size_t size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }
  size_t bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
  }

 private:
  std::optional<T> take(std::chrono::milliseconds wait, std::stop_token stop, bool* idle, bool hold,
                        size_t& charged) {
    std::unique_lock lock(mutex_);
    *idle = false;
    charged = 0;
    if (!not_empty_.wait_for(lock, stop, wait, [&] { return closed_ || !items_.empty(); })) {
      *idle = !stop.stop_requested();
      return std::nullopt;
    }
    if (items_.empty()) return std::nullopt;
    Entry entry = std::move(items_.front());
    items_.pop_front();
    if (hold) {
      charged = entry.bytes;
    } else {
      bytes_ -= entry.bytes;
    }
    not_full_.notify_all();  // an item fewer, even when its bytes stay counted
    return std::move(entry.item);
  }

  struct Entry {
    T item;
    size_t bytes;
  };

  const size_t max_items_;
  const size_t max_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable_any not_full_;
  std::condition_variable_any not_empty_;
  std::deque<Entry> items_;  // guarded by mutex_
  size_t bytes_ = 0;         // guarded by mutex_
  bool closed_ = false;      // guarded by mutex_
};

}  // namespace connectors
