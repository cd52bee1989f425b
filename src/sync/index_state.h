// What the engine says about the writes an index has seen: its uuid and, per
// primary shard, the history uuid and the highest sequence number. Every write
// to a shard (index, update, delete — by anyone) takes a new sequence number,
// so two equal states mean no document changed in between; a deleted and
// re-created index has a new uuid, a restored or reset shard a new history.
#pragma once

#include <string>
#include <vector>

#include "es/client.h"

namespace connectors::sync {

struct ShardState {
  int shard = 0;
  long long max_seq_no = -1;
  long long local_checkpoint = -1;  // every operation up to here is applied
  std::string history_uuid;
};

struct IndexState {
  std::string uuid;
  std::vector<ShardState> shards;  // primaries, by shard number

  bool empty() const { return uuid.empty() || shards.empty(); }
  // Every operation the shards took is applied (none in flight).
  bool settled() const;
  // Same index, same shard histories and the same sequence numbers.
  bool same_as(const IndexState& other) const;
  // Operations the shards took since `before`, or -1 if the two states are not
  // of the same index and shard histories.
  long long operations_since(const IndexState& before) const;

  es::json to_json() const;
  static IndexState from_json(const es::json& doc);  // empty on a malformed document
};

// GET /<index>/_stats?level=shards, reduced to the primaries. Throws EsError.
IndexState read_index_state(es::Client& client, const std::string& index);

}  // namespace connectors::sync
