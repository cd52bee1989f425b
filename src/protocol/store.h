// Reads and writes of connector and sync-job documents. Every write that could
// race with another instance (or Kibana) is conditional on the _seq_no and
// _primary_term of the version it was computed from, and is recomputed from a
// fresh read on a conflict. Thread-safe (the Client is).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "es/client.h"

namespace connectors::protocol {

using es::json;

// A document as read: id, concurrency token and the whole _source (kept whole
// so that fields this version does not know survive our writes).
struct StoredDoc {
  std::string id;
  es::SeqNo seq;
  json source;

  std::string str(const char* field) const;  // "" when missing or null
};

// Given the current document, the partial update to write, or nullopt to write nothing.
using Change = std::function<std::optional<json>(const StoredDoc&)>;

enum class UpdateOutcome { kUpdated, kSkipped, kNotFound, kConflict };

class Store {
 public:
  Store(es::Client& client, std::string index) : client_(client), index_(std::move(index)) {}

  std::optional<StoredDoc> get(const std::string& id);
  // Reads `id`, computes the change, writes it conditionally; on a version
  // conflict starts again from a fresh read, up to `attempts` times.
  UpdateOutcome update(const std::string& id, const Change& change, int attempts = 3);
  // Unconditional partial update (heartbeats, progress), refresh=false.
  void patch(const std::string& id, const json& partial);
  std::string create(const json& source, const std::optional<std::string>& id = std::nullopt);
  void remove(const std::string& id);

  // Every document matching `query`, sorted by `sort` (e.g. created_at asc), paged.
  std::vector<StoredDoc> search(const json& query, const json& sort = json::array(), size_t max = 10000);
  long long count(const json& query);

  es::Client& client() { return client_; }
  const std::string& index() const { return index_; }

 private:
  es::Client& client_;
  std::string index_;
};

}  // namespace connectors::protocol
