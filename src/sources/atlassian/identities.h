// Document-level security as the successor framework builds it for
// Atlassian: prefixed identities ("account_id:5b10a...", "group_id:...",
// "user:jdoe", "group:jira-users") in each content document's
// `_allow_access_control`, and one identity document per user for the
// `.search-acl-filter-<index>` index, whose query template matches the
// documents without `_allow_access_control` or sharing one of the user's
// identities. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sources/source.h"

namespace connectors::sources::atlassian {

// "kind:value", or "" when the value is empty (left out by the builders).
std::string identity(std::string_view kind, std::string_view value);

// `identities` sorted, without duplicates or empty entries (a stable
// `_allow_access_control`, so that unchanged permissions do not re-index).
std::vector<std::string> normalized(std::vector<std::string> identities);

// The identity no user has: the `_allow_access_control` of a document no
// reader was found for. An empty list would be as good as none, and the DLS
// query shows a document without one to everyone.
inline constexpr const char* kNoReader = "no_reader:none";

// `_allow_access_control` from `identities`: normalized, or [kNoReader] when empty.
nlohmann::json access_list(std::vector<std::string> identities);

// The identities of one Atlassian user as the access-control document lists
// them: account id (Cloud) or username (Server), email, display name with
// dashes for spaces, and each group's id and name.
struct User {
  std::string account_id;  // Cloud
  std::string username;    // Server
  std::string email;
  std::string display_name;
  std::vector<std::pair<std::string, std::string>> groups;  // (group id, group name); id may be ""
};

std::vector<std::string> identities_of(const User& user);

// The access-control document of `user`: `_id` its account id (Cloud) or
// username (Server), `identity` {account_id|username, email_address,
// display_name}, `query.template` {source: the DLS query, params.access_control}.
// No `_timestamp`: the engine's content hash decides whether it changed.
Document identity_document(const User& user);

// The framework's DLS query template source (mustache, {{#toJson}}).
std::string_view dls_query_template();

}  // namespace connectors::sources::atlassian
