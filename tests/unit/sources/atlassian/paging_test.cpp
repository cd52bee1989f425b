// The paging rules of Atlassian's listings, without a server.
#include "sources/atlassian/paging.h"

#include <gtest/gtest.h>

namespace connectors::sources::atlassian {
namespace {

using nlohmann::json;

std::string query_of(const http::Request& r) { return http::query_string(r.query); }

TEST(AtlassianPaging, ConfluenceFollowsNextLinks) {
  http::Request first("GET", "/rest/api/content/search", {{"cql", "type=page"}, {"limit", "50"}});
  auto next = next_linked(first, json::parse(R"({"results": [{}], "limit": 50, "size": 1,
      "_links": {"next": "/rest/api/content/search?cql=type%3Dpage&limit=50&cursor=abc"}})"),
                          false);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->path, "/rest/api/content/search?cql=type%3Dpage&limit=50&cursor=abc");
  EXPECT_TRUE(next->query.empty());
  EXPECT_FALSE(next_linked(first, json::parse(R"({"results": [{}], "_links": {}})"), false));
}

TEST(AtlassianPaging, ServerSearchWithoutNextGoesOnByStartWhilePagesAreFull) {
  http::Request first("GET", "/rest/api/content/search", {{"cql", "type=page"}, {"limit", "2"}});
  json full =
      json::parse(R"({"results": [{}, {}], "start": 4, "limit": 2, "size": 2, "_links": {}})");
  auto next = next_linked(first, full, true);
  ASSERT_TRUE(next);
  EXPECT_EQ(query_of(*next), "cql=type%3Dpage&limit=2&start=6");
  // A short page is the last; Cloud (no fallback) never guesses an offset.
  EXPECT_FALSE(
      next_linked(first, json::parse(R"({"results": [{}], "start": 6, "limit": 2})"), true));
  EXPECT_FALSE(next_linked(first, full, false));
}

TEST(AtlassianPaging, JiraServerOffsetsUntilTotal) {
  http::Request first("GET", "/rest/api/2/search",
                      {{"jql", "x"}, {"startAt", "0"}, {"maxResults", "100"}});
  // The server may cap maxResults below the request's: the next start is what came.
  auto next =
      next_offset(first,
                  json::parse(R"({"startAt": 0, "maxResults": 50, "total": 120, "issues": [)" +
                              std::string(49, ' ') + R"({}]})"),
                  "issues");
  ASSERT_TRUE(next);
  EXPECT_EQ(query_of(*next), "jql=x&maxResults=100&startAt=1");
  EXPECT_FALSE(next_offset(first, json::parse(R"({"startAt": 119, "total": 120, "issues": [{}]})"),
                           "issues"));
  EXPECT_FALSE(
      next_offset(first, json::parse(R"({"startAt": 0, "total": 120, "issues": []})"), "issues"));
  EXPECT_FALSE(next_offset(first, json::parse(R"({"startAt": 0, "isLast": true, "values": [{}]})"),
                           "values"));
}

TEST(AtlassianPaging, JiraCloudFollowsNextPageTokenUntilIsLast) {
  http::Request first("GET", "/rest/api/3/search/jql", {{"jql", "x"}, {"maxResults", "100"}});
  auto next = next_token(first, json::parse(R"({"issues": [{}], "nextPageToken": "t2"})"));
  ASSERT_TRUE(next);
  EXPECT_EQ(query_of(*next), "jql=x&maxResults=100&nextPageToken=t2");
  auto third = next_token(*next, json::parse(R"({"issues": [{}], "nextPageToken": "t3"})"));
  ASSERT_TRUE(third);
  EXPECT_EQ(query_of(*third), "jql=x&maxResults=100&nextPageToken=t3");
  EXPECT_FALSE(next_token(
      *third, json::parse(R"({"issues": [{}], "isLast": true, "nextPageToken": "t4"})")));
  EXPECT_FALSE(next_token(*third, json::parse(R"({"issues": [{}]})")));
}

TEST(AtlassianPaging, BareArraysEndOnAShortPage) {
  http::Request first("GET", "/rest/api/3/users/search", {{"startAt", "0"}, {"maxResults", "2"}});
  auto next = next_in_array(first, json::parse("[{}, {}]"));
  ASSERT_TRUE(next);
  EXPECT_EQ(query_of(*next), "maxResults=2&startAt=2");
  EXPECT_FALSE(next_in_array(*next, json::parse("[{}]")));
  EXPECT_FALSE(next_in_array(*next, json::parse("[]")));
}

}  // namespace
}  // namespace connectors::sources::atlassian
