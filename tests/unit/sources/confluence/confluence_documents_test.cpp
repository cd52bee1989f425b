// The framework's Confluence documents and their access-control lists, from
// answers shaped as Confluence's REST API v1 gives them.
#include "sources/confluence/confluence_documents.h"

#include <gtest/gtest.h>

namespace connectors::sources::confluence {
namespace {

const std::string kSite = "https://example.atlassian.net/wiki";

json page() {
  return json::parse(R"({
    "id": "65577", "type": "page", "status": "current", "title": "Release notes",
    "space": {"id": 98306, "key": "DEV", "name": "Development"},
    "history": {"lastUpdated": {"when": "2024-03-01T10:15:30.123Z"}},
    "body": {"storage": {"value": "<p>Hello</p>", "representation": "storage"}},
    "children": {"attachment": {"results": [], "size": 2}},
    "restrictions": {"read": {"restrictions": {
      "user": {"results": [{"type": "known", "accountId": "acc-2", "username": "bob"}], "size": 1},
      "group": {"results": [{"type": "group", "name": "devs", "id": "g-7"}], "size": 1}}}},
    "_links": {"webui": "/spaces/DEV/pages/65577/Release+notes"}})");
}

TEST(ConfluenceDocuments, SpacePageAndAttachmentAsTheFramework) {
  Document space = space_document(json::parse(R"({"id": 98306, "key": "DEV", "name": "Development",
                      "_links": {"webui": "/spaces/DEV"}})"),
                                  kSite);
  EXPECT_EQ(space.id, "98306");
  EXPECT_TRUE(space.timestamp.empty()) << "a stable space: the content hash decides";
  EXPECT_EQ(space.fields,
            json({{"type", "Space"}, {"title", "Development"}, {"url", kSite + "/spaces/DEV"}}));

  Document content = content_document(page(), kSite);
  EXPECT_EQ(content.id, "65577");
  EXPECT_EQ(content.timestamp, "2024-03-01T10:15:30.123Z");
  EXPECT_EQ(content.fields, json({{"type", "page"},
                                  {"title", "Release notes"},
                                  {"space", "Development"},
                                  {"body", "<p>Hello</p>"},
                                  {"url", kSite + "/spaces/DEV/pages/65577/Release+notes"}}));

  Document file = attachment_document(
      json::parse(R"({"id": "att720897", "type": "attachment", "title": "spec.pdf",
                      "version": {"when": "2024-02-02T08:00:00.000Z"},
                      "extensions": {"mediaType": "application/pdf", "fileSize": 31337},
                      "_links": {"webui": "/pages/viewpageattachments.action?pageId=65577",
                                 "download": "/download/attachments/65577/spec.pdf?version=1"}})"),
      page(), kSite);
  EXPECT_EQ(file.id, "att720897");
  EXPECT_EQ(file.timestamp, "2024-02-02T08:00:00.000Z");
  EXPECT_EQ(file.fields["type"], "attachment");
  EXPECT_EQ(file.fields["page"], "Release notes") << "keyed by the parent's type";
  EXPECT_EQ(file.fields["space"], "Development");
  EXPECT_EQ(file.fields["size"], 31337);
}

TEST(ConfluenceDocuments, ReadersOfASpaceAndOfARestrictedPage) {
  json space = json::parse(R"({"key": "DEV", "permissions": [
    {"operation": {"operation": "read", "targetType": "space"},
     "subjects": {"user": {"results": [{"accountId": "acc-1", "username": "ann"}]}}},
    {"operation": {"operation": "read", "targetType": "space"},
     "subjects": {"group": {"results": [{"name": "confluence-users", "id": "g-1"}]}}},
    {"operation": {"operation": "administer", "targetType": "space"},
     "subjects": {"user": {"results": [{"accountId": "acc-admin", "username": "root"}]}}}]})");
  EXPECT_EQ(space_readers(space, true),
            (std::vector<std::string>{"account_id:acc-1", "group_id:g-1"}));
  json server_space = space;
  server_space["permissions"][1]["subjects"]["group"]["results"][0].erase("id");
  EXPECT_EQ(space_readers(server_space, false),
            (std::vector<std::string>{"group:confluence-users", "user:ann"}));
  EXPECT_EQ(content_readers(page(), true),
            (std::vector<std::string>{"account_id:acc-2", "group_id:g-7"}));
  json open = page();
  open.erase("restrictions");
  EXPECT_TRUE(content_readers(open, true).empty());
}

TEST(ConfluenceDocuments, ContentCql) {
  EXPECT_EQ(content_cql({}, "page"), "type=page");
  EXPECT_EQ(content_cql({"DEV", "OPS"}, "blogpost"), R"(space in ("DEV","OPS") AND type=blogpost)");
}

}  // namespace
}  // namespace connectors::sources::confluence
