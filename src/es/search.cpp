#include "es/search.h"

#include <spdlog/spdlog.h>

namespace connectors::es {
namespace {

bool take_hits(const json& response, std::vector<json>& hits) {
  hits.clear();
  if (!response.contains("hits") || !response["hits"].contains("hits")) return false;
  for (const auto& hit : response["hits"]["hits"]) hits.push_back(hit);
  return !hits.empty();
}

}  // namespace

ScrollReader::ScrollReader(Client& client, std::string index, json body, int size,
                           std::string keep_alive, std::string filter_path)
    : client_(client), index_(std::move(index)), body_(std::move(body)),
      keep_alive_(std::move(keep_alive)),
      filter_suffix_(filter_path.empty() ? "" : "&filter_path=_scroll_id," + filter_path) {
  body_["size"] = size;
}

ScrollReader::~ScrollReader() {
  if (scroll_id_.empty()) return;
  try {
    client_.request("DELETE", "/_search/scroll", json{{"scroll_id", scroll_id_}}.dump(),
                    "application/json", {404});
  } catch (const std::exception& e) {
    spdlog::debug("clearing scroll on {} failed: {}", index_, e.what());
  }
}

bool ScrollReader::next(std::vector<json>& hits, std::stop_token stop) {
  if (done_) {
    hits.clear();
    return false;
  }
  HttpResponse response;
  if (scroll_id_.empty()) {
    response = client_.request("POST", "/" + encode_path(index_) + "/_search?scroll=" + keep_alive_ + filter_suffix_,
                               body_.dump(), "application/json", {}, stop);
  } else {
    response = client_.request("POST", "/_search/scroll?" + filter_suffix_.substr(std::min<size_t>(1, filter_suffix_.size())),
                               json{{"scroll", keep_alive_}, {"scroll_id", scroll_id_}}.dump(),
                               "application/json", {}, stop);
  }
  json doc = parse_answer(response, "scroll " + index_);
  scroll_id_ = doc.value("_scroll_id", scroll_id_);
  done_ = !take_hits(doc, hits);
  return !done_;
}

SearchAfterReader::SearchAfterReader(Client& client, std::string index, json body, int size)
    : client_(client), index_(std::move(index)), body_(std::move(body)) {
  body_["size"] = size;
  if (!body_.contains("sort")) {
    throw std::invalid_argument("SearchAfterReader needs a sort in the search body");
  }
}

bool SearchAfterReader::next(std::vector<json>& hits, std::stop_token stop) {
  if (done_) {
    hits.clear();
    return false;
  }
  json doc = client_.search(index_, body_, stop);
  done_ = !take_hits(doc, hits);
  if (!done_) body_["search_after"] = hits.back()["sort"];
  return !done_;
}

}  // namespace connectors::es
