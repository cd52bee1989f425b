#include "sources/atlassian/identities.h"

#include <algorithm>

namespace connectors::sources::atlassian {

std::string identity(std::string_view kind, std::string_view value) {
  if (value.empty()) return "";
  std::string out(kind);
  out += ':';
  out += value;
  return out;
}

std::vector<std::string> normalized(std::vector<std::string> identities) {
  std::erase_if(identities, [](const std::string& s) { return s.empty(); });
  std::sort(identities.begin(), identities.end());
  identities.erase(std::unique(identities.begin(), identities.end()), identities.end());
  return identities;
}

nlohmann::json access_list(std::vector<std::string> identities) {
  auto list = normalized(std::move(identities));
  if (list.empty()) list.emplace_back(kNoReader);
  return list;
}

std::vector<std::string> identities_of(const User& user) {
  std::string name = user.display_name;
  std::replace(name.begin(), name.end(), ' ', '-');
  std::vector<std::string> out = {identity("account_id", user.account_id),
                                  identity("user", user.username),
                                  identity("email_address", user.email), identity("name", name)};
  for (const auto& [id, group_name] : user.groups) {
    out.push_back(identity("group_id", id));
    out.push_back(identity("group", group_name));
  }
  return normalized(std::move(out));
}

std::string_view dls_query_template() {
  return R"({"bool": {"should": [{"bool": {"must_not": {"exists": {"field": "_allow_access_control"}}}}, )"
         R"({"terms": {"_allow_access_control.enum": {{#toJson}}access_control{{/toJson}}}}]}})";
}

Document identity_document(const User& user) {
  Document doc;
  doc.id = !user.account_id.empty() ? user.account_id : user.username;
  nlohmann::json who = nlohmann::json::object();
  if (!user.account_id.empty()) who["account_id"] = identity("account_id", user.account_id);
  if (!user.username.empty()) who["username"] = identity("user", user.username);
  if (!user.email.empty()) who["email_address"] = identity("email_address", user.email);
  if (!user.display_name.empty()) who["display_name"] = user.display_name;
  doc.fields = {{"identity", who},
                {"query",
                 {{"template",
                   {{"source", std::string(dls_query_template())},
                    {"params", {{"access_control", identities_of(user)}}}}}}}};
  return doc;
}

}  // namespace connectors::sources::atlassian
