// ExistingIds is the compact picture of a content index before a sync: for
// each document, a 64-bit hash of its _id and a 63-bit hash of its version
// (_timestamp, or the content hash of a source without timestamps), plus one
// "seen" bit — 16 bytes per id, whatever the id's length. The producer marks
// ids as the source yields them; the ids never marked are the deletions.
//
// Hash collisions (64 bits) can only ever keep a document that should go, or,
// when two different ids collide AND their versions hash alike, skip a changed
// document: at 1M ids the chance of either in a sync is about 5e-8.
//
// Built by one thread (add, then seal — or restore from the id cache);
// afterwards check_and_mark is called by one thread (the producer) and is not
// synchronised. After a clean sync, apply_sync turns it into the picture of
// the index as the sync left it, which the id cache keeps for the next sync.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace connectors::sync {

enum class Presence { kNew, kUnchanged, kChanged };

// One document: the hash of its id and of its version (top bit: seen).
struct IdEntry {
  uint64_t id;
  uint64_t version;
};

class ExistingIds {
 public:
  void reserve(size_t n) { entries_.reserve(n); }
  void add(std::string_view id, uint64_t version);
  void seal();  // sorts; call once after the last add

  // Whether `id` was in the index and with which version; marks it seen.
  Presence check_and_mark(std::string_view id, uint64_t version);

  // True if `id` was in the index and the source did not yield it.
  bool is_unseen(std::string_view id) const;

  size_t size() const { return entries_.size(); }
  size_t seen() const { return seen_; }
  size_t unseen() const { return entries_.size() - seen_; }
  size_t memory_bytes() const { return entries_.capacity() * sizeof(IdEntry); }

  // Sorted by id hash, versions without the seen bit once apply_sync ran.
  const std::vector<IdEntry>& entries() const { return entries_; }
  // Replaces the set with entries sorted by id hash, none seen (the id cache's).
  // Returns false, leaving the set empty, if they are not strictly sorted.
  bool restore(std::vector<IdEntry> sorted);
  // The index after a sync that succeeded for every operation: the documents
  // the source did not yield are gone, `written` (id hash, new version) were
  // created or replaced, in blocks (freed as they are merged). Clears the seen bits.
  void apply_sync(std::vector<std::vector<IdEntry>> written);

  static uint64_t id_hash(std::string_view id);

  // The version of a content hash or any other opaque text.
  static uint64_t version_of(std::string_view version_text);
  // The version of a `_timestamp`: its instant to the millisecond (what a `date`
  // field keeps), so "...+00:00" and "...Z" forms of one instant are equal.
  static uint64_t version_of_timestamp(std::string_view timestamp);
  static uint64_t version_of_millis(long long epoch_millis);

 private:
  using Entry = IdEntry;
  static constexpr uint64_t kSeen = 1ULL << 63;

  const Entry* find(uint64_t hash) const;

  std::vector<Entry> entries_;
  size_t seen_ = 0;
};

}  // namespace connectors::sync
