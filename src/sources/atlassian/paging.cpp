#include "sources/atlassian/paging.h"

#include <fmt/format.h>

#include <cstdlib>

#include "core/errors.h"

namespace connectors::sources::atlassian {
namespace {

long long number(const nlohmann::json& page, const char* key, long long fallback) {
  auto it = page.find(key);
  return it != page.end() && it->is_number_integer() ? it->get<long long>() : fallback;
}

size_t items_in(const nlohmann::json& page, const std::string& key) {
  auto it = page.find(key);
  return it != page.end() && it->is_array() ? it->size() : 0;
}

std::string param(const http::Request& request, const std::string& name) {
  for (const auto& [key, value] : request.query) {
    if (key == name) return value;
  }
  return "";
}

}  // namespace

http::Request with_param(http::Request request, const std::string& name, const std::string& value) {
  std::erase_if(request.query, [&](const auto& entry) { return entry.first == name; });
  request.query.emplace_back(name, value);
  return request;
}

std::optional<http::Request> next_linked(const http::Request& current, const nlohmann::json& page,
                                         bool offset_fallback) {
  const auto* links = page.contains("_links") ? &page["_links"] : nullptr;
  if (links != nullptr && links->contains("next") && (*links)["next"].is_string()) {
    std::string next = (*links)["next"].get<std::string>();
    if (!next.empty()) return http::Request("GET", next);
  }
  size_t size = items_in(page, "results");
  long long limit = number(page, "limit", -1);
  if (!offset_fallback || size == 0 || limit <= 0 || static_cast<long long>(size) < limit) {
    return std::nullopt;
  }
  long long start = number(page, "start", 0);
  return with_param(current, "start", std::to_string(start + static_cast<long long>(size)));
}

std::optional<http::Request> next_offset(const http::Request& current, const nlohmann::json& page,
                                         const std::string& items_key) {
  size_t size = items_in(page, items_key);
  if (size == 0) return std::nullopt;
  long long start = number(page, "startAt", 0) + static_cast<long long>(size);
  long long total = number(page, "total", -1);
  // Without `total` (some Server listings), a short page is the last.
  if (total >= 0 ? start >= total : static_cast<long long>(size) < number(page, "maxResults", 0)) {
    return std::nullopt;
  }
  if (page.value("isLast", false)) return std::nullopt;
  return with_param(current, "startAt", std::to_string(start));
}

std::optional<http::Request> next_in_array(const http::Request& current,
                                           const nlohmann::json& page) {
  long long size = page.is_array() ? static_cast<long long>(page.size()) : 0;
  long long max = std::atoll(param(current, "maxResults").c_str());
  if (size == 0 || size < max) return std::nullopt;
  long long start = std::atoll(param(current, "startAt").c_str());
  return with_param(current, "startAt", std::to_string(start + size));
}

std::optional<http::Request> next_token(const http::Request& current, const nlohmann::json& page) {
  if (page.value("isLast", false)) return std::nullopt;
  auto it = page.find("nextPageToken");
  if (it == page.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return with_param(current, "nextPageToken", it->get<std::string>());
}

void for_each_item(Api& api, http::Request first, const std::string& items_key,
                   const NextPage& next, const std::string& what, const Each& each,
                   std::stop_token stop) {
  std::optional<http::Request> request = std::move(first);
  for (int page = 1; request; ++page) {
    if (stop.stop_requested()) throw Cancelled();
    nlohmann::json body =
        api.get_json(*request, page == 1 ? what : fmt::format("{} (page {})", what, page), stop);
    const nlohmann::json* items = &body;
    if (!items_key.empty()) {
      auto it = body.is_object() ? body.find(items_key) : body.end();
      items = it != body.end() ? &*it : nullptr;
    }
    if (items != nullptr && items->is_array()) {
      for (const auto& item : *items) {
        if (stop.stop_requested()) throw Cancelled();
        each(item);
      }
    }
    request = next(*request, body);
  }
}

}  // namespace connectors::sources::atlassian
