#include "sources/jira/jira_documents.h"

#include "sources/atlassian/identities.h"
#include "sources/atlassian/json_text.h"
#include "sources/atlassian/sync_rules.h"

namespace connectors::sources::jira {
namespace {

using atlassian::identity;
using atlassian::text_at;

std::string group_identity(const json& group) {
  std::string id = text_at(group, "/groupId");
  return !id.empty() ? identity("group_id", id) : identity("group", text_at(group, "/name"));
}

}  // namespace

Document project_document(const json& project) {
  Document doc;
  doc.id = "project-" + text_at(project, "/id");
  doc.fields = {{"Type", "Project"}, {"Project", project}};
  return doc;
}

Document issue_document(const json& issue) {
  Document doc;
  const json fields = issue.contains("fields") ? issue["fields"] : json::object();
  doc.id = text_at(fields, "/project/name") + "-" + text_at(issue, "/key");
  doc.timestamp = text_at(fields, "/updated");
  doc.fields = {{"Type", text_at(fields, "/issuetype/name")}, {"Issue", fields}};
  return doc;
}

Document attachment_document(const json& attachment, const std::string& issue_key) {
  Document doc;
  doc.id = issue_key + "-" + text_at(attachment, "/id");
  doc.timestamp = text_at(attachment, "/created");
  doc.fields = {{"title", text_at(attachment, "/filename")},
                {"Type", "Attachment"},
                {"issue", issue_key},
                {"size", attachment.contains("size") ? attachment["size"] : json(nullptr)}};
  return doc;
}

bool is_archived_project(const json& project) { return project.value("archived", false); }

bool is_archived_issue(const json& issue) {
  const json::json_pointer at("/fields/archiveddate");
  return issue.contains(at) && !issue.at(at).is_null();
}

std::string user_identity(const json& user, bool cloud) {
  return cloud ? identity("account_id", text_at(user, "/accountId"))
               : identity("user", text_at(user, "/name"));
}

std::vector<std::string> role_actors(const json& role, bool cloud) {
  std::vector<std::string> out;
  auto actors = role.find("actors");
  if (actors == role.end() || !actors->is_array()) return out;
  for (const auto& actor : *actors) {
    std::string type = text_at(actor, "/type");
    if (type == "atlassian-user-role-actor") {
      out.push_back(cloud ? identity("account_id", text_at(actor, "/actorUser/accountId"))
                          : identity("user", text_at(actor, "/name")));
    } else if (type == "atlassian-group-role-actor") {
      out.push_back(actor.contains("actorGroup") ? group_identity(actor["actorGroup"])
                                                 : identity("group", text_at(actor, "/name")));
    }
  }
  return atlassian::normalized(std::move(out));
}

std::vector<std::string> level_members(const json& members, const json& issue, bool cloud) {
  std::vector<std::string> out;
  if (!members.is_array()) return out;
  for (const auto& member : members) {
    std::string type = text_at(member, "/holder/type");
    if (type == "user") {
      out.push_back(cloud ? identity("account_id", text_at(member, "/holder/value"))
                          : identity("user", text_at(member, "/holder/parameter")));
    } else if (type == "group") {
      std::string id = text_at(member, "/holder/value");
      out.push_back(!id.empty() ? identity("group_id", id)
                                : identity("group", text_at(member, "/holder/parameter")));
    } else if (type == "reporter" || type == "assignee") {
      const json::json_pointer person("/fields/" + type);
      if (issue.contains(person) && issue.at(person).is_object())
        out.push_back(user_identity(issue.at(person), cloud));
    }
  }
  return atlassian::normalized(std::move(out));
}

std::string issues_jql(const std::vector<std::string>& projects) {
  if (projects.empty()) return "key IS NOT EMPTY";
  return "project in (" + atlassian::quoted_list(projects) + ")";
}

}  // namespace connectors::sources::jira
