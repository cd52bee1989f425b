#include "sources/confluence/confluence_documents.h"

#include "sources/atlassian/identities.h"
#include "sources/atlassian/json_text.h"
#include "sources/atlassian/sync_rules.h"

namespace connectors::sources::confluence {
namespace {

using atlassian::identity;
using atlassian::text_at;

json number_or_null(const json& object, const char* pointer) {
  const json::json_pointer at(pointer);
  return object.contains(at) && object.at(at).is_number() ? object.at(at) : json(nullptr);
}

std::string url_of(const json& object, const std::string& site) {
  std::string webui = text_at(object, "/_links/webui");
  return webui.empty() ? "" : site + (webui.front() == '/' ? "" : "/") + webui;
}

// Users and groups of a permission's or restriction's subjects.
void add_subjects(const json& subjects, bool cloud, std::vector<std::string>& out) {
  const json::json_pointer users("/user/results");
  const json::json_pointer groups("/group/results");
  if (subjects.contains(users) && subjects.at(users).is_array()) {
    for (const auto& user : subjects.at(users)) {
      out.push_back(cloud ? identity("account_id", text_at(user, "/accountId"))
                          : identity("user", text_at(user, "/username")));
    }
  }
  if (subjects.contains(groups) && subjects.at(groups).is_array()) {
    for (const auto& group : subjects.at(groups)) {
      std::string id = text_at(group, "/id");
      out.push_back(!id.empty() ? identity("group_id", id)
                                : identity("group", text_at(group, "/name")));
    }
  }
}

}  // namespace

Document space_document(const json& space, const std::string& site) {
  Document doc;
  doc.id = text_at(space, "/id");
  doc.fields = {
      {"type", "Space"}, {"title", text_at(space, "/name")}, {"url", url_of(space, site)}};
  return doc;
}

Document content_document(const json& content, const std::string& site) {
  Document doc;
  doc.id = text_at(content, "/id");
  doc.timestamp = text_at(content, "/history/lastUpdated/when");
  doc.fields = {{"type", text_at(content, "/type")},
                {"title", text_at(content, "/title")},
                {"space", text_at(content, "/space/name")},
                {"body", text_at(content, "/body/storage/value")},
                {"url", url_of(content, site)}};
  return doc;
}

Document attachment_document(const json& attachment, const json& parent, const std::string& site) {
  Document doc;
  doc.id = text_at(attachment, "/id");
  doc.timestamp = text_at(attachment, "/version/when");
  std::string parent_type = text_at(parent, "/type");
  doc.fields = {{"type", "attachment"},
                {"title", text_at(attachment, "/title")},
                {"space", text_at(parent, "/space/name")},
                {parent_type.empty() ? "page" : parent_type, text_at(parent, "/title")},
                {"size", number_or_null(attachment, "/extensions/fileSize")},
                {"url", url_of(attachment, site)}};
  return doc;
}

std::vector<std::string> space_readers(const json& space, bool cloud) {
  std::vector<std::string> out;
  auto permissions = space.find("permissions");
  if (permissions == space.end() || !permissions->is_array()) return out;
  for (const auto& permission : *permissions) {
    if (text_at(permission, "/operation/operation") != "read" ||
        text_at(permission, "/operation/targetType") != "space" ||
        !permission.contains("subjects")) {
      continue;
    }
    add_subjects(permission["subjects"], cloud, out);
  }
  return atlassian::normalized(std::move(out));
}

std::vector<std::string> content_readers(const json& content, bool cloud) {
  std::vector<std::string> out;
  const json::json_pointer at("/restrictions/read/restrictions");
  if (content.contains(at) && content.at(at).is_object()) add_subjects(content.at(at), cloud, out);
  return atlassian::normalized(std::move(out));
}

std::string content_cql(const std::vector<std::string>& spaces, const std::string& type) {
  if (spaces.empty()) return "type=" + type;
  return "space in (" + atlassian::quoted_list(spaces) + ") AND type=" + type;
}

}  // namespace connectors::sources::confluence
