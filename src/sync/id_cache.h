// IdCache keeps, between syncs, the id set a sync left in a content index, so
// that the next sync of an unchanged index need not read every id back (for
// 1M documents that read is ~5 s of engine time, most of a no-change resync).
//
// The cache is trusted only while the index is provably as the sync left it:
// the IndexState saved with it must equal the index's state now (any write by
// anyone raises a shard's max_seq_no). And a sync saves it only when it can
// account for every sequence number taken while it ran: the operations the
// shards took since its start must equal the bulk operations it saw succeed.
// A concurrent writer, or a request applied twice after a retry, breaks that
// count and the cache is dropped; the next sync reads the ids from the index.
// Written to a temporary file and renamed, with a checksum, so a torn or
// foreign file is never trusted.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "sync/existing_ids.h"
#include "sync/index_state.h"

namespace connectors::sync {

class IdCache {
 public:
  // `dir` is created when saving.
  IdCache(std::string dir, const std::string& index);

  // Fills `ids` and returns true if the file is intact and was saved for
  // exactly `current`; otherwise returns false with `why` set, `ids` untouched.
  bool load(const IndexState& current, ExistingIds& ids, std::string& why) const;
  // Writes the file of `state`'s index uuid and removes the files of earlier
  // indices of that name; false (with `why`) if it could not be written.
  bool save(const IndexState& state, const ExistingIds& ids, std::string& why) const;
  // Removes every file of this index name.
  void remove() const;

  // One file per index uuid: the same index reached by another URL (a proxy,
  // a load balancer) shares it; a re-created index of the same name does not.
  std::string path_for(const std::string& index_uuid) const;

 private:
  void remove_except(const std::string& keep) const;

  std::string dir_;
  std::string stem_;  // the index name, reduced to characters safe in a file name
};

// The writes a sync saw succeed, for IdCache: every operation that took a
// sequence number, and the (id, version) of each document written.
// Thread-safe: shared by the bulk senders.
class WriteTally {
 public:
  void written(const std::vector<IdEntry>& entries, long long operations);
  long long operations() const { return operations_.load(); }
  // The entries, in blocks of up to kBlock (memory grows in steps of 1 MiB,
  // never by doubling one large vector).
  std::vector<std::vector<IdEntry>> take();

  static constexpr size_t kBlock = 65536;

 private:
  std::atomic<long long> operations_{0};
  std::mutex mutex_;
  std::vector<std::vector<IdEntry>> blocks_;  // guarded by mutex_
};

}  // namespace connectors::sync
