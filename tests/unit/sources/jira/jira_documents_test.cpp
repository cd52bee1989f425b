// The framework's Jira documents and the identities of Jira's permission
// answers, from answers shaped as Jira's REST API gives them.
#include "sources/jira/jira_documents.h"

#include <gtest/gtest.h>

namespace connectors::sources::jira {
namespace {

json issue() {
  return json::parse(R"({"id": "10002", "key": "DP-12", "fields": {
    "summary": "Crash on save", "updated": "2023-02-10T00:10:11.027+0530",
    "issuetype": {"name": "Bug"}, "project": {"id": "10000", "key": "DP", "name": "Demo Project"},
    "reporter": {"accountId": "acc-r", "name": "rita"}, "assignee": null,
    "security": {"id": "10100", "name": "Internal"},
    "attachment": [{"id": "10001", "filename": "dummy_file.txt", "size": 200,
                    "created": "2023-02-09T08:33:57.284+0000"}]}})");
}

TEST(JiraDocuments, ProjectIssueAndAttachmentAsTheFramework) {
  json project = json::parse(R"({"id": "10000", "key": "DP", "name": "Demo Project"})");
  Document p = project_document(project);
  EXPECT_EQ(p.id, "project-10000");
  EXPECT_TRUE(p.timestamp.empty()) << "a stable project: the content hash decides";
  EXPECT_EQ(p.fields, json({{"Type", "Project"}, {"Project", project}}));

  Document i = issue_document(issue());
  EXPECT_EQ(i.id, "Demo Project-DP-12");
  EXPECT_EQ(i.timestamp, "2023-02-10T00:10:11.027+0530");
  EXPECT_EQ(i.fields["Type"], "Bug");
  EXPECT_EQ(i.fields["Issue"], issue()["fields"]);

  Document a = attachment_document(issue()["fields"]["attachment"][0], "DP-12");
  EXPECT_EQ(a.id, "DP-12-10001");
  EXPECT_EQ(a.timestamp, "2023-02-09T08:33:57.284+0000");
  EXPECT_EQ(a.fields, json({{"title", "dummy_file.txt"},
                            {"Type", "Attachment"},
                            {"issue", "DP-12"},
                            {"size", 200}}));
}

TEST(JiraDocuments, ArchivedProjectsAndIssues) {
  EXPECT_TRUE(is_archived_project(json::parse(R"({"key": "OLD", "archived": true})")));
  EXPECT_FALSE(is_archived_project(json::parse(R"({"key": "DP"})")));
  EXPECT_FALSE(is_archived_issue(issue()));
  json archived = issue();
  archived["fields"]["archiveddate"] = "2024-01-01T00:00:00.000+0000";
  EXPECT_TRUE(is_archived_issue(archived));
}

TEST(JiraDocuments, RoleActorsAndSecurityLevelMembers) {
  json role = json::parse(R"({"name": "Developers", "actors": [
    {"type": "atlassian-user-role-actor", "name": "bob", "actorUser": {"accountId": "acc-b"}},
    {"type": "atlassian-group-role-actor", "name": "devs", "actorGroup": {"name": "devs", "groupId": "g-d"}}]})");
  EXPECT_EQ(role_actors(role, true),
            (std::vector<std::string>{"account_id:acc-b", "group_id:g-d"}));
  json server_role = role;
  server_role["actors"][1]["actorGroup"].erase("groupId");
  EXPECT_EQ(role_actors(server_role, false), (std::vector<std::string>{"group:devs", "user:bob"}));

  json members = json::parse(R"([
    {"id": 1, "holder": {"type": "user", "parameter": "ann", "value": "acc-a"}},
    {"id": 2, "holder": {"type": "group", "parameter": "qa", "value": "g-q"}},
    {"id": 3, "holder": {"type": "reporter"}},
    {"id": 4, "holder": {"type": "assignee"}},
    {"id": 5, "holder": {"type": "projectRole", "parameter": "10002"}}])");
  EXPECT_EQ(level_members(members, issue(), true),
            (std::vector<std::string>{"account_id:acc-a", "account_id:acc-r", "group_id:g-q"}));
}

TEST(JiraDocuments, IssuesJql) {
  EXPECT_EQ(issues_jql({}), "key IS NOT EMPTY");
  EXPECT_EQ(issues_jql({"DP", "OPS"}), R"(project in ("DP","OPS"))");
}

}  // namespace
}  // namespace connectors::sources::jira
