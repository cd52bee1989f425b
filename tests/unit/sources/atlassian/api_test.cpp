// The Atlassian REST client against a scripted loopback server: the basic
// authentication of each deployment, 401 failing fast naming the user (never
// the secret), 403/404/410 naming the endpoint, 429 waiting Retry-After, the
// request rate, and a listing followed page by page.
#include "sources/atlassian/api.h"

#include <gtest/gtest.h>

#include <atomic>

#include "../../http/loopback_server.h"
#include "core/errors.h"
#include "sources/atlassian/paging.h"

namespace connectors::sources::atlassian {
namespace {

using std::chrono::milliseconds;
using testing::LoopbackServer;
using testing::ReceivedRequest;
using testing::Reply;

Settings settings_for(const LoopbackServer& server, bool cloud) {
  Settings s;
  s.product = "confluence";
  s.cloud = cloud;
  s.url = server.url();
  s.user = cloud ? "me@example.com" : "admin";
  s.secret = Secret(cloud ? "tok-123-secret" : "pass-456-secret");
  s.user_key = cloud ? "account_email" : "username";
  s.secret_key = cloud ? "api_token" : "password";
  s.retry_count = 3;
  s.retry_base = milliseconds(10);
  s.requests_per_second = 0;
  return s;
}

std::string error_of(const std::function<void()>& work) {
  try {
    work();
  } catch (const SourceError& e) {
    return e.what();
  }
  return "";
}

TEST(AtlassianApi, CloudSendsEmailAndTokenBelowWiki) {
  LoopbackServer server([](const ReceivedRequest&) {
    return Reply{200, {}, R"({"results": []})"};
  });
  Api api(settings_for(server, true), "/wiki");
  api.get_json(http::Request("GET", "/rest/api/space", {{"limit", "1"}}), "the spaces", {});
  auto request = server.requests().at(0);
  EXPECT_EQ(request.target, "/wiki/rest/api/space?limit=1");
  // base64("me@example.com:tok-123-secret")
  EXPECT_EQ(request.headers["authorization"], "Basic bWVAZXhhbXBsZS5jb206dG9rLTEyMy1zZWNyZXQ=");
  EXPECT_EQ(request.headers["accept"], "application/json");
}

TEST(AtlassianApi, ServerSendsUsernameAndPassword) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply{200, {}, "{}"}; });
  Api api(settings_for(server, false));
  api.get_json(http::Request("GET", "/rest/api/2/myself"), "the connecting user", {});
  auto request = server.requests().at(0);
  EXPECT_EQ(request.target, "/rest/api/2/myself");
  // base64("admin:pass-456-secret")
  EXPECT_EQ(request.headers["authorization"], "Basic YWRtaW46cGFzcy00NTYtc2VjcmV0");
}

TEST(AtlassianApi, A401FailsAtOnceNamingTheUserNeverTheToken) {
  LoopbackServer server([](const ReceivedRequest&) {
    return Reply{401,
                 {{"WWW-Authenticate", "Basic realm=\"atlassian\""}},
                 R"({"message": "Client must be authenticated to access this resource.", )"
                 R"("status-code": 401})"};
  });
  Api api(settings_for(server, true), "/wiki");
  std::string message =
      error_of([&] { api.get_json(http::Request("GET", "/rest/api/space"), "the spaces", {}); });
  EXPECT_NE(message.find("user 'me@example.com'"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
  EXPECT_NE(message.find("'api_token'"), std::string::npos) << message;
  EXPECT_EQ(message.find("tok-123-secret"), std::string::npos) << message;
  EXPECT_EQ(server.requests().size(), 1u) << "a 401 is not retried";
}

TEST(AtlassianApi, ForbiddenMissingAndGoneNameTheEndpoint) {
  std::atomic<int> status{403};
  LoopbackServer server([&](const ReceivedRequest&) {
    return Reply{status.load(), {}, R"({"errorMessages": ["nope"], "errors": {}})"};
  });
  Api api(settings_for(server, false));
  auto failure = [&](int code) {
    status = code;
    return error_of([&] {
      api.get_json(http::Request("GET", "/rest/api/2/search", {{"jql", "x"}}), "the issues", {});
    });
  };
  std::string forbidden = failure(403);
  EXPECT_NE(forbidden.find("user 'admin' may not read the issues (HTTP 403 on GET "),
            std::string::npos)
      << forbidden;
  EXPECT_NE(forbidden.find("/rest/api/2/search?jql=x"), std::string::npos) << forbidden;
  std::string missing = failure(404);
  EXPECT_NE(missing.find("the issues not found (HTTP 404 on GET "), std::string::npos) << missing;
  std::string gone = failure(410);
  EXPECT_NE(gone.find("is gone (HTTP 410 on GET "), std::string::npos) << gone;
  EXPECT_NE(gone.find("/rest/api/2/search"), std::string::npos) << gone;
}

TEST(AtlassianApi, A429WaitsRetryAfterThenSucceeds) {
  std::atomic<int> calls{0};
  LoopbackServer server([&](const ReceivedRequest&) {
    if (calls++ == 0) return Reply{429, {{"Retry-After", "1"}}, "Rate limit exceeded"};
    return Reply{200, {}, R"({"ok": true})"};
  });
  Api api(settings_for(server, true), "/wiki");
  auto start = std::chrono::steady_clock::now();
  auto body = api.get_json(http::Request("GET", "/rest/api/space"), "the spaces", {});
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(body["ok"], true);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_GE(waited, milliseconds(950)) << "Retry-After: 1 was not waited";
}

TEST(AtlassianApi, ARequestRateSpacesTheRequests) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply{200, {}, "{}"}; });
  Settings s = settings_for(server, false);
  s.requests_per_second = 20;  // a burst of 20, then one every 50 ms
  Api api(s);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 30; ++i) api.get_json(http::Request("GET", "/x"), "x", {});
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(450));
}

TEST(AtlassianApi, ForEachItemFollowsEveryLinkedPage) {
  LoopbackServer server([](const ReceivedRequest& r) {
    if (r.target == "/rest/api/space?limit=2")
      return Reply{
          200,
          {},
          R"({"results": [{"k": 1}, {"k": 2}], "_links": {"next": "/rest/api/space?limit=2&start=2"}})"};
    if (r.target == "/rest/api/space?limit=2&start=2")
      return Reply{200, {}, R"({"results": [{"k": 3}], "_links": {}})"};
    return Reply{404, {}, "unknown"};
  });
  Api api(settings_for(server, false));
  std::vector<int> keys;
  for_each_item(
      api, http::Request("GET", "/rest/api/space", {{"limit", "2"}}), "results",
      [](const http::Request& current, const nlohmann::json& page) {
        return next_linked(current, page, false);
      },
      "the spaces", [&](const nlohmann::json& item) { keys.push_back(item["k"]); }, {});
  EXPECT_EQ(keys, (std::vector<int>{1, 2, 3}));
}

TEST(AtlassianApi, APageFailingAfterItsRetriesFailsTheListing) {
  LoopbackServer server([](const ReceivedRequest& r) {
    if (r.target == "/l?maxResults=1&startAt=0") return Reply{200, {}, R"([{"k": 1}])"};
    return Reply{503, {}, "down"};
  });
  Settings s = settings_for(server, false);
  s.retry_count = 1;
  Api api(s);
  int seen = 0;
  std::string message = error_of([&] {
    for_each_item(api, http::Request("GET", "/l", {{"maxResults", "1"}, {"startAt", "0"}}), "",
                  next_in_array, "the users", [&](const nlohmann::json&) { ++seen; }, {});
  });
  EXPECT_EQ(seen, 1);
  EXPECT_NE(message.find("cannot read the users (page 2)"), std::string::npos) << message;
}

}  // namespace
}  // namespace connectors::sources::atlassian
