// The three ways Atlassian's REST APIs page a listing, each followed to the
// last page. A page that fails after its retries throws: the enumeration is
// then partial, and the engine deletes nothing (the framework's listings
// stopped silently instead, and the sync deleted what it had not seen).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>

#include "http/client.h"
#include "sources/atlassian/api.h"

namespace connectors::sources::atlassian {

using Each = std::function<void(const nlohmann::json& item)>;

// The request of the page after `page`, or nullopt after the last one. Pure,
// one per paging style, so that the rules are tested without a server.

// Confluence: `results`, then `_links.next` (a path below the site's base,
// "/rest/api/space?limit=100&start=100" or a cursor). Without it, a Server
// page as long as `limit` is followed by `start` + `size`: newer Data Center
// versions leave `next` out of CQL searches (elastic/connectors#3320).
std::optional<http::Request> next_linked(const http::Request& current, const nlohmann::json& page,
                                         bool offset_fallback);

// Jira Server / Data Center: `startAt`, `maxResults`, `total`, and the items under a key.
std::optional<http::Request> next_offset(const http::Request& current, const nlohmann::json& page,
                                         const std::string& items_key);

// A bare JSON array paged by `startAt` and `maxResults` (Cloud's
// /rest/api/3/users/search): a page shorter than maxResults is the last.
std::optional<http::Request> next_in_array(const http::Request& current,
                                           const nlohmann::json& page);

// Jira Cloud's enhanced search (/rest/api/{2,3}/search/jql): `nextPageToken` until `isLast`.
std::optional<http::Request> next_token(const http::Request& current, const nlohmann::json& page);

using NextPage = std::function<std::optional<http::Request>(const http::Request& current,
                                                            const nlohmann::json& page)>;

// Sends `first` and each following page, handing every item of `items_key`
// (of the body itself when "") to `each`.
void for_each_item(Api& api, http::Request first, const std::string& items_key,
                   const NextPage& next, const std::string& what, const Each& each,
                   std::stop_token stop);

// `request` with `name` set to `value` (replacing an earlier value).
http::Request with_param(http::Request request, const std::string& name, const std::string& value);

}  // namespace connectors::sources::atlassian
