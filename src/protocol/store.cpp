#include "protocol/store.h"

#include "es/search.h"

namespace connectors::protocol {

std::string StoredDoc::str(const char* field) const {
  auto it = source.find(field);
  return it != source.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<StoredDoc> Store::get(const std::string& id) {
  auto doc = client_.get_document(index_, id);
  if (!doc) return std::nullopt;
  return StoredDoc{doc->id, doc->seq, std::move(doc->source)};
}

UpdateOutcome Store::update(const std::string& id, const Change& change, int attempts) {
  for (int attempt = 0; attempt < attempts; ++attempt) {
    auto current = get(id);
    if (!current) return UpdateOutcome::kNotFound;
    auto partial = change(*current);
    if (!partial) return UpdateOutcome::kSkipped;
    try {
      client_.update_document(index_, id, *partial, current->seq, es::Refresh::kYes);
      return UpdateOutcome::kUpdated;
    } catch (const es::EsError& e) {
      if (e.is_not_found()) return UpdateOutcome::kNotFound;
      if (!e.is_version_conflict()) throw;
    }
  }
  return UpdateOutcome::kConflict;
}

void Store::patch(const std::string& id, const json& partial) {
  client_.update_document(index_, id, partial, std::nullopt, es::Refresh::kNo);
}

std::string Store::create(const json& source, const std::optional<std::string>& id) {
  return client_.index_document(index_, id, source, std::nullopt, es::Refresh::kYes).id;
}

void Store::remove(const std::string& id) {
  client_.delete_document(index_, id, std::nullopt, es::Refresh::kYes);
}

std::vector<StoredDoc> Store::search(const json& query, const json& sort, size_t max) {
  std::vector<StoredDoc> out;
  if (!client_.index_exists(index_)) return out;
  json body = {{"query", query}, {"seq_no_primary_term", true}};
  json order = sort.empty() ? json::array() : sort;
  order.push_back({{"_doc", "asc"}});  // total order for search_after paging
  body["sort"] = order;
  es::SearchAfterReader reader(client_, index_, body, 500);
  std::vector<json> hits;
  while (out.size() < max && reader.next(hits)) {
    for (auto& hit : hits) {
      out.push_back({hit.value("_id", ""),
                     {hit.value("_seq_no", 0LL), hit.value("_primary_term", 0LL)},
                     hit.value("_source", json::object())});
    }
  }
  return out;
}

long long Store::count(const json& query) {
  if (!client_.index_exists(index_)) return 0;
  return client_.count(index_, query);
}

}  // namespace connectors::protocol
