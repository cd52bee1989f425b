#include "sources/jira/jira_source.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <set>

#include "core/errors.h"
#include "extraction/plain_text.h"
#include "sources/atlassian/api.h"
#include "sources/atlassian/identities.h"
#include "sources/atlassian/paging.h"
#include "sources/atlassian/settings.h"
#include "sources/atlassian/sync_rules.h"
#include "sources/jira/jira_documents.h"

namespace connectors::sources {
namespace {

using atlassian::Api;
using nlohmann::json;

constexpr long long kMaxFileSize = 10485760;  // the framework's FILE_SIZE_LIMIT
constexpr const char* kIssuePage = "100";     // the framework's maxResults
constexpr const char* kListPage = "100";

const atlassian::Product& product() {
  static const atlassian::Product p{.name = "Jira",
                                    .service = "jira",
                                    .url_key = "jira_url",
                                    .url_label = "Jira host url",
                                    .keys_key = "projects",
                                    .keys_label = "Jira project keys",
                                    .cloud_email_label = "Jira Cloud service account id",
                                    .retry_label = "Retries for failed requests",
                                    .cloud_default = true,
                                    .max_downloads = 100};
  return p;
}

class JiraSource final : public AdvancedRulesSource, public AccessControl {
 public:
  explicit JiraSource(atlassian::Settings s)
      : cloud_(s.cloud),
        projects_(s.keys),
        dls_toggle_(s.use_document_level_security),
        api_(std::make_shared<Api>(std::move(s))) {}

  void ping(std::stop_token stop) override {
    api_->get_json(http::Request("GET", "/rest/api/2/myself"), "the connecting user", stop);
  }

  void documents(DocumentSink& sink, std::stop_token stop) override {
    seen_.clear();
    project_readers_.clear();
    if (queries_.empty()) {
      list_projects(sink, stop);
      search(jira::issues_jql(projects_), sink, stop);
    } else {
      for (const auto& query : queries_) search(query, sink, stop);
    }
  }

  AccessControl* access_control() override { return this; }

  void set_advanced_rules(const json& value) override {
    queries_ = has_advanced_rules(value) ? atlassian::parse_query_rules(value, "JQL")
                                         : std::vector<std::string>{};
  }

  // Each query is run for one issue: Jira answers 400 to bad JQL.
  RulesValidation validate_advanced_rules(const json& value, std::stop_token stop) override {
    return atlassian::validate_queries(
        *api_, value, "JQL",
        [this](const std::string& query) { return search_request(query, "1"); }, stop);
  }

  void enable_document_level_security(bool enabled) override { dls_feature_ = enabled; }

  // Every user with their groups: Cloud /rest/api/3/users/search (Atlassian
  // accounts) and /rest/api/3/user/groups; Server /rest/api/2/user/search and
  // /rest/api/2/user?expand=groups.
  void access_control_documents(DocumentSink& sink, std::stop_token stop) override {
    if (!dls_enabled()) return;
    http::Request users =
        cloud_ ? http::Request("GET", "/rest/api/3/users/search",
                               {{"startAt", "0"}, {"maxResults", kListPage}})
               : http::Request("GET", "/rest/api/2/user/search",
                               {{"username", "."}, {"startAt", "0"}, {"maxResults", kListPage}});
    atlassian::for_each_item(
        *api_, users, "", atlassian::next_in_array, "the users",
        [&](const json& user) {
          if (cloud_ && user.value("accountType", "") != "atlassian") return;
          if (!user.value("active", true)) return;
          atlassian::User u;
          u.account_id = cloud_ ? user.value("accountId", "") : "";
          u.username = cloud_ ? "" : user.value("name", "");
          u.email = user.value("emailAddress", "");
          u.display_name = user.value("displayName", "");
          u.groups = groups_of(u, stop);
          sink.emit(atlassian::identity_document(u));
        },
        stop);
  }

 private:
  bool dls_enabled() const { return dls_feature_ && dls_toggle_; }

  std::vector<std::pair<std::string, std::string>> groups_of(const atlassian::User& u,
                                                             std::stop_token stop) {
    std::vector<std::pair<std::string, std::string>> groups;
    std::string what = fmt::format("the groups of user '{}'", cloud_ ? u.account_id : u.username);
    if (cloud_) {
      json answer = api_->get_json(
          http::Request("GET", "/rest/api/3/user/groups", {{"accountId", u.account_id}}), what,
          stop);
      for (const auto& g : answer) groups.emplace_back(g.value("groupId", ""), g.value("name", ""));
      return groups;
    }
    json answer = api_->get_json(
        http::Request("GET", "/rest/api/2/user", {{"username", u.username}, {"expand", "groups"}}),
        what, stop);
    for (const auto& g : answer.value("/groups/items"_json_pointer, json::array()))
      groups.emplace_back("", g.value("name", ""));
    return groups;
  }

  http::Request search_request(const std::string& jql, const char* page_size) const {
    if (cloud_) {
      // Atlassian removed /rest/api/{2,3}/search from Cloud (CHANGE-2046, HTTP 410).
      // Its v2 successor, not v3: rich text (descriptions, comment bodies) comes as
      // the strings the 8.x framework indexed, not Atlassian Document Format
      // objects, so the mappings of an index it wrote keep taking the documents.
      return http::Request("GET", "/rest/api/2/search/jql",
                           {{"jql", jql}, {"maxResults", page_size}, {"fields", "*all"}});
    }
    return http::Request(
        "GET", "/rest/api/2/search",
        {{"jql", jql}, {"startAt", "0"}, {"maxResults", page_size}, {"fields", "*all"}});
  }

  // The configured projects (every one but the archived ones with `*`); a
  // configured key Jira does not have fails the sync.
  void list_projects(DocumentSink& sink, std::stop_token stop) {
    json projects = api_->get_json(
        http::Request("GET", "/rest/api/2/project", {{"expand", "description,lead,url"}}),
        "the projects", stop);
    if (!projects.is_array()) throw SourceError("jira: the list of projects is not a list");
    std::set<std::string> available;
    for (const auto& project : projects) {
      if (stop.stop_requested()) throw Cancelled();
      if (jira::is_archived_project(project)) continue;
      std::string key = project.value("key", "");
      available.insert(key);
      if (!projects_.empty() &&
          std::find(projects_.begin(), projects_.end(), key) == projects_.end()) {
        continue;
      }
      Document doc = jira::project_document(project);
      if (dls_enabled())
        doc.fields["_allow_access_control"] = atlassian::access_list(project_readers(key, stop));
      sink.emit(std::move(doc));
    }
    std::string missing;
    for (const auto& key : projects_) {
      if (!available.count(key)) missing += (missing.empty() ? "" : ", ") + key;
    }
    if (!missing.empty()) {
      throw SourceError("jira: configured unavailable projects: " + missing +
                        " (archived or unknown to user '" + api_->settings().user + "')");
    }
  }

  // Who may browse a project: the users with BROWSE_PROJECTS, and the users
  // and groups of its roles. Asked once per project and sync.
  const std::vector<std::string>& project_readers(const std::string& key, std::stop_token stop) {
    auto known = project_readers_.find(key);
    if (known != project_readers_.end()) return known->second;
    std::vector<std::string> readers;
    atlassian::for_each_item(
        *api_,
        http::Request("GET", "/rest/api/2/user/permission/search",
                      {{"projectKey", key},
                       {"permissions", "BROWSE_PROJECTS"},
                       {"startAt", "0"},
                       {"maxResults", kListPage}}),
        "", atlassian::next_in_array, fmt::format("the users who may browse project {}", key),
        [&](const json& user) { readers.push_back(jira::user_identity(user, cloud_)); }, stop);
    std::string roles_path = fmt::format("/rest/api/2/project/{}/role", http::percent_encode(key));
    json roles =
        api_->get_json(http::Request("GET", roles_path), "the roles of project " + key, stop);
    for (auto it = roles.begin(); roles.is_object() && it != roles.end(); ++it) {
      if (!it->is_string()) continue;
      // The role's link; its id is the last segment, asked below our own base URL.
      std::string link = it->get<std::string>();
      std::string id = link.substr(link.find_last_of('/') + 1);
      json role = api_->get_json(http::Request("GET", roles_path + "/" + id),
                                 fmt::format("role '{}' of project {}", it.key(), key), stop);
      auto actors = jira::role_actors(role, cloud_);
      readers.insert(readers.end(), actors.begin(), actors.end());
    }
    return project_readers_[key] = atlassian::normalized(std::move(readers));
  }

  // Who may see an issue with a security level: the level's members (Cloud
  // lists them; Server has no API for it, so such an issue gets no reader:
  // hidden under DLS rather than shown to its whole project).
  std::vector<std::string> issue_readers(const json& issue, std::stop_token stop) {
    std::string project = issue.value("/fields/project/key"_json_pointer, "");
    const json::json_pointer level_at("/fields/security/id");
    if (!issue.contains(level_at)) return project_readers(project, stop);
    if (!cloud_) return {};
    std::string level = issue.at(level_at).is_string() ? issue.at(level_at).get<std::string>()
                                                       : issue.at(level_at).dump();
    auto cached = level_members_.find(level);
    if (cached == level_members_.end()) {
      json members = json::array();
      atlassian::for_each_item(
          *api_,
          http::Request("GET", "/rest/api/3/issuesecurityschemes/level/member",
                        {{"levelId", level}, {"startAt", "0"}, {"maxResults", kListPage}}),
          "values",
          [](const http::Request& current, const json& page) {
            return atlassian::next_offset(current, page, "values");
          },
          "the members of issue security level " + level,
          [&](const json& member) { members.push_back(member); }, stop);
      cached = level_members_.emplace(level, std::move(members)).first;
    }
    return jira::level_members(cached->second, issue, cloud_);
  }

  void search(const std::string& jql, DocumentSink& sink, std::stop_token stop) {
    atlassian::NextPage next = [this](const http::Request& current, const json& page) {
      return cloud_ ? atlassian::next_token(current, page)
                    : atlassian::next_offset(current, page, "issues");
    };
    atlassian::for_each_item(
        *api_, search_request(jql, kIssuePage), "issues", next,
        fmt::format("the issues of JQL '{}'", jql),
        [&](const json& found) {
          if (jira::is_archived_issue(found)) return;
          json issue = found;
          complete_comments(issue, stop);
          Document doc = jira::issue_document(issue);
          if (!seen_.insert(doc.id).second) return;  // found by an earlier query
          std::string key = issue.value("key", "");
          json readers = json::array();
          if (dls_enabled()) {
            readers = atlassian::access_list(issue_readers(issue, stop));
            doc.fields["_allow_access_control"] = readers;
          }
          sink.emit(std::move(doc));
          for (const auto& attachment :
               issue.value("/fields/attachment"_json_pointer, json::array())) {
            Document file = jira::attachment_document(attachment, key);
            if (!seen_.insert(file.id).second) continue;
            if (dls_enabled()) file.fields["_allow_access_control"] = readers;
            file.content = content_of(attachment);
            sink.emit(std::move(file));
          }
        },
        stop);
  }

  // A search answer holds an issue's first comments only; the rest are asked for.
  void complete_comments(json& issue, std::stop_token stop) {
    const json::json_pointer at("/fields/comment");
    if (!issue.contains(at) || !issue.at(at).is_object()) return;
    json& comment = issue.at(at);
    json& comments = comment["comments"];
    if (!comments.is_array()) comments = json::array();
    long long total = comment.value("total", 0LL);
    if (total <= static_cast<long long>(comments.size())) return;
    std::string key = issue.value("key", "");
    json all = json::array();
    atlassian::for_each_item(
        *api_,
        http::Request("GET", fmt::format("/rest/api/2/issue/{}/comment", http::percent_encode(key)),
                      {{"startAt", "0"}, {"maxResults", kListPage}}),
        "comments",
        [](const http::Request& current, const json& page) {
          return atlassian::next_offset(current, page, "comments");
        },
        "the comments of issue " + key, [&](const json& c) { all.push_back(c); }, stop);
    comments = std::move(all);
    comment["maxResults"] = comments.size();
    comment["startAt"] = 0;
  }

  ContentRef content_of(const json& attachment) const {
    ContentRef ref;
    std::string id = attachment.contains("id") && attachment["id"].is_string()
                         ? attachment["id"].get<std::string>()
                         : attachment.value("id", json()).dump();
    std::string name = attachment.value("filename", "");
    ref.name = fmt::format("attachment '{}' ({})", name, id);
    ref.extension = extraction::file_extension(name);
    ref.size = attachment.value("size", -1LL);
    ref.max_size = kMaxFileSize;
    // Cloud serves the content through the REST API; Server at /secure/attachment.
    std::string path = cloud_ ? "/rest/api/2/attachment/content/" + http::percent_encode(id)
                              : "/secure/attachment/" + http::percent_encode(id) + "/" +
                                    http::percent_encode(name);
    ref.fetch = [api = api_, path, what = ref.name](ContentSink& sink, long long max_bytes,
                                                    std::stop_token stop) {
      api->download(http::Request("GET", path), sink, max_bytes, what, stop);
    };
    return ref;
  }

  bool cloud_;
  std::vector<std::string> projects_;  // empty: every project
  bool dls_toggle_;
  bool dls_feature_ = false;
  std::shared_ptr<Api> api_;          // shared with the downloads
  std::vector<std::string> queries_;  // advanced rules
  std::set<std::string> seen_;
  std::map<std::string, std::vector<std::string>> project_readers_;  // project key → identities
  std::map<std::string, json> level_members_;  // security level id → members
};

}  // namespace

SourceDescriptor jira_descriptor() {
  return {"jira", "Jira", [] { return atlassian::schema(product()); },
          [](const Configuration& c) -> std::unique_ptr<Source> {
            return std::make_unique<JiraSource>(atlassian::settings(product(), c));
          },
          Capabilities{.advanced_rules = true, .incremental = false, .access_control = true}};
}

}  // namespace connectors::sources
