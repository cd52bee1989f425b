#include "sync/index_state.h"

#include <algorithm>

#include "es/client.h"

namespace connectors::sync {

bool IndexState::settled() const {
  return std::all_of(shards.begin(), shards.end(),
                     [](const ShardState& s) { return s.local_checkpoint == s.max_seq_no; });
}

bool IndexState::same_as(const IndexState& other) const {
  return operations_since(other) == 0;
}

long long IndexState::operations_since(const IndexState& before) const {
  if (empty() || uuid != before.uuid || shards.size() != before.shards.size()) return -1;
  long long total = 0;
  for (size_t i = 0; i < shards.size(); ++i) {
    const ShardState& now = shards[i];
    const ShardState& then = before.shards[i];
    if (now.shard != then.shard || now.history_uuid != then.history_uuid ||
        now.max_seq_no < then.max_seq_no) {
      return -1;
    }
    total += now.max_seq_no - then.max_seq_no;
  }
  return total;
}

es::json IndexState::to_json() const {
  es::json out = {{"uuid", uuid}, {"shards", es::json::array()}};
  for (const auto& s : shards) {
    out["shards"].push_back({{"shard", s.shard},
                             {"max_seq_no", s.max_seq_no},
                             {"local_checkpoint", s.local_checkpoint},
                             {"history_uuid", s.history_uuid}});
  }
  return out;
}

IndexState IndexState::from_json(const es::json& doc) {
  IndexState state;
  try {
    state.uuid = doc.at("uuid").get<std::string>();
    for (const auto& s : doc.at("shards")) {
      state.shards.push_back({s.at("shard").get<int>(), s.at("max_seq_no").get<long long>(),
                              s.at("local_checkpoint").get<long long>(),
                              s.at("history_uuid").get<std::string>()});
    }
  } catch (const es::json::exception&) {
    return {};
  }
  return state;
}

IndexState read_index_state(es::Client& client, const std::string& index) {
  auto response = client.request(
      "GET", "/" + es::encode_path(index) +
                 "/_stats?level=shards&filter_path=indices.*.uuid,indices.*.shards.*.routing.primary,"
                 "indices.*.shards.*.seq_no,indices.*.shards.*.commit.user_data.history_uuid");
  es::json body = es::json::parse(response.body, nullptr, false);
  IndexState state;
  if (!body.is_object() || !body.contains("indices") || !body["indices"].is_object()) return state;
  // An alias or a pattern names several indices: no single state, no cache.
  if (body["indices"].size() != 1) return state;
  const es::json& stats = body["indices"].begin().value();
  state.uuid = stats.value("uuid", "");
  if (!stats.contains("shards") || !stats["shards"].is_object()) return {};
  for (const auto& [number, copies] : stats["shards"].items()) {
    for (const auto& copy : copies) {
      if (!copy.contains("routing") || !copy["routing"].value("primary", false)) continue;
      if (!copy.contains("seq_no")) return {};
      ShardState s;
      s.shard = std::stoi(number);
      s.max_seq_no = copy["seq_no"].value("max_seq_no", -2LL);
      s.local_checkpoint = copy["seq_no"].value("local_checkpoint", -2LL);
      if (copy.contains("commit") && copy["commit"].contains("user_data")) {
        s.history_uuid = copy["commit"]["user_data"].value("history_uuid", "");
      }
      state.shards.push_back(std::move(s));
    }
  }
  std::sort(state.shards.begin(), state.shards.end(),
            [](const ShardState& a, const ShardState& b) { return a.shard < b.shard; });
  return state;
}

}  // namespace connectors::sync
