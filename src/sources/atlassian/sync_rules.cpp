#include "sources/atlassian/sync_rules.h"

#include <fmt/format.h>

#include "core/errors.h"

namespace connectors::sources::atlassian {

std::vector<std::string> parse_query_rules(const nlohmann::json& value, std::string_view language) {
  auto fail = [&](const std::string& why) {
    throw ConfigError("advanced_snippet",
                      fmt::format("advanced sync rules must be a list of {{\"query\": \"<{}>\"}} "
                                  "objects: {}",
                                  language, why));
  };
  if (!value.is_array()) fail("got " + value.dump());
  std::vector<std::string> queries;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto& rule = value[i];
    if (!rule.is_object()) fail(fmt::format("rule {} is {}", i + 1, rule.dump()));
    for (auto it = rule.begin(); it != rule.end(); ++it) {
      if (it.key() != "query")
        fail(fmt::format("rule {} has an unknown key '{}'", i + 1, it.key()));
    }
    auto query = rule.find("query");
    if (query == rule.end() || !query->is_string() || query->get<std::string>().empty()) {
      fail(fmt::format("rule {} has no {} query", i + 1, language));
    }
    queries.push_back(query->get<std::string>());
  }
  return queries;
}

RulesValidation validate_queries(
    Api& api, const nlohmann::json& value, std::string_view language,
    const std::function<http::Request(const std::string&)>& request_for, std::stop_token stop) {
  std::vector<std::string> queries;
  try {
    queries = parse_query_rules(value, language);
  } catch (const ConfigError& e) {
    return {false, e.what()};
  }
  for (const auto& query : queries) {
    http::Request request = request_for(query);
    request.accept = {400};
    auto response = api.send(request, fmt::format("{} query '{}'", language, query), stop);
    if (response.status == 400) {
      return {false, fmt::format("{} query '{}' is not valid: {}", language, query,
                                 query_error(response.body))};
    }
  }
  return {};
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) {
    out += out.empty() ? "\"" : ",\"";
    for (char c : value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out;
}

std::string query_error(const std::string& body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_object()) {
    if (auto it = doc.find("errorMessages"); it != doc.end() && it->is_array() && !it->empty()) {
      std::string out;
      for (const auto& m : *it) {
        if (!m.is_string()) continue;
        out += (out.empty() ? "" : "; ") + m.get<std::string>();
      }
      if (!out.empty()) return out;
    }
    if (auto it = doc.find("message"); it != doc.end() && it->is_string())
      return it->get<std::string>();
  }
  return body.substr(0, 300);
}

}  // namespace connectors::sources::atlassian
