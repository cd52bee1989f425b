// The advanced sync rules of Confluence and Jira, as the successor framework
// has them: a list of queries in the product's language (CQL, JQL),
// [{"query": "space = DEV AND type = page"}, ...]. Each query's results are
// synced instead of what the configuration names.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "http/client.h"
#include "sources/atlassian/api.h"
#include "sources/source.h"

namespace connectors::sources::atlassian {

// The queries of `value`, or ConfigError("advanced_snippet") naming what is
// wrong: not a list, an entry that is not an object with a non-empty string
// `query`, or a key besides `query`. `language` ("CQL") is for the message.
std::vector<std::string> parse_query_rules(const nlohmann::json& value, std::string_view language);

// The validator of both products: the value's shape, then each query run
// once (`request_for` builds its one-result search); an answer 400 makes the
// rules invalid with Atlassian's message, naming the query.
RulesValidation validate_queries(
    Api& api, const nlohmann::json& value, std::string_view language,
    const std::function<http::Request(const std::string&)>& request_for, std::stop_token stop);

// `"A","B"`: the values as CQL and JQL string literals (\ and " escaped), for `in (...)`.
std::string quoted_list(const std::vector<std::string>& values);

// The message of Atlassian's 400 answer to a bad query: its `errorMessages`
// (Jira), `message` (Confluence) or the body itself.
std::string query_error(const std::string& body);

}  // namespace connectors::sources::atlassian
