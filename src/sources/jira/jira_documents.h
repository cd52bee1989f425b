// The framework's documents of Jira objects (connectors/sources/jira.py@8.8)
// and the identities of Jira's permission answers. Pure functions of the
// REST answers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sources/source.h"

namespace connectors::sources::jira {

using nlohmann::json;

// `_id` "project-{id}", {Type: "Project", Project: <the project>}; no
// `_timestamp` (the framework's was "now"): the content hash decides.
Document project_document(const json& project);

// `_id` "{project name}-{issue key}", {Type: <issue type name>, Issue: <fields>},
// `_timestamp` fields.updated.
Document issue_document(const json& issue);

// `_id` "{issue key}-{attachment id}", {title, Type: "Attachment", issue, size},
// `_timestamp` created. The content reference is the caller's.
Document attachment_document(const json& attachment, const std::string& issue_key);

// Whether Jira marks it archived (`archived` of a project, `archiveddate` of an issue).
bool is_archived_project(const json& project);
bool is_archived_issue(const json& issue);

// The identity of a user object: "account_id:<accountId>" (Cloud) or "user:<name>" (Server).
std::string user_identity(const json& user, bool cloud);

// The identities of a project role's actors (users and groups).
std::vector<std::string> role_actors(const json& role, bool cloud);

// The identities of an issue security level's members that name a user or a
// group, and the issue's reporter and assignee when the level grants them.
std::vector<std::string> level_members(const json& members, const json& issue, bool cloud);

// The JQL of the configured projects: `project in ("A","B")`, or with none
// the catch-all `key IS NOT EMPTY` (Cloud's enhanced search refuses an empty JQL).
std::string issues_jql(const std::vector<std::string>& projects);

}  // namespace connectors::sources::jira
