// What Confluence and Jira share, without a server: the fields and settings
// of each deployment, the request rate's arithmetic, the DLS identities and
// identity documents, and the query rules.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "sources/atlassian/identities.h"
#include "sources/atlassian/rate_limiter.h"
#include "sources/atlassian/settings.h"
#include "sources/atlassian/sync_rules.h"

namespace connectors::sources::atlassian {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

Product jira() {
  return {.name = "Jira",
          .service = "jira",
          .url_key = "jira_url",
          .url_label = "Jira host url",
          .keys_key = "projects",
          .keys_label = "Jira project keys",
          .cloud_email_label = "Jira Cloud service account id",
          .retry_label = "Retries for failed requests",
          .cloud_default = true,
          .max_downloads = 100};
}

Settings read(const json& values) {
  return settings(jira(), Configuration(schema(jira()), values));
}

TEST(AtlassianSettings, CloudUsesEmailAndTokenServerUsernameAndPassword) {
  Settings cloud = read({{"account_email", "me@example.com"},
                         {"api_token", "t"},
                         {"jira_url", "https://x.atlassian.net/"},
                         {"projects", "A, B"}});
  EXPECT_TRUE(cloud.cloud);
  EXPECT_EQ(cloud.user, "me@example.com");
  EXPECT_EQ(cloud.secret.reveal(), "t");
  EXPECT_EQ(cloud.url, "https://x.atlassian.net");
  EXPECT_EQ(cloud.keys, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(cloud.retry_count, 3);
  EXPECT_EQ(cloud.requests_per_second, 10);
  EXPECT_FALSE(cloud.use_document_level_security);

  Settings server = read({{"data_source", "jira_server"},
                          {"username", "admin"},
                          {"password", "pw"},
                          {"jira_url", "http://jira:8080"},
                          {"projects", "*"},
                          {"use_document_level_security", true}});
  EXPECT_FALSE(server.cloud);
  EXPECT_EQ(server.user, "admin");
  EXPECT_EQ(server.secret_key, "password");
  EXPECT_TRUE(server.keys.empty()) << "* is every project";
  EXPECT_TRUE(server.use_document_level_security);
}

TEST(AtlassianSettings, BadValuesNameTheirField) {
  json base = {{"account_email", "e"}, {"api_token", "t"}, {"jira_url", "https://x"}};
  auto key_of = [](json values) {
    try {
      read(values);
    } catch (const ConfigError& e) {
      return e.key();
    }
    return std::string();
  };
  json v = base;
  v["data_source"] = "jira_cloudy";
  EXPECT_EQ(key_of(v), "data_source");
  v = base;
  v["jira_url"] = "x.atlassian.net";
  EXPECT_EQ(key_of(v), "jira_url");
  v = base;
  v["retry_count"] = 101;
  EXPECT_EQ(key_of(v), "retry_count");
  v = base;
  v["requests_per_second"] = -1;
  EXPECT_EQ(key_of(v), "requests_per_second");
  v = base;
  v["ssl_enabled"] = true;  // ssl_ca is then required, as in the seeds
  EXPECT_EQ(key_of(v), "ssl_ca");
}

TEST(AtlassianSettings, APemPastedOnOneLineGetsItsLinesBack) {
  Settings s =
      read({{"account_email", "e"},
            {"api_token", "t"},
            {"jira_url", "https://x"},
            {"ssl_enabled", true},
            {"ssl_ca", "-----BEGIN CERTIFICATE----- QUJD REVG -----END CERTIFICATE-----"}});
  EXPECT_EQ(s.ssl_ca, "-----BEGIN CERTIFICATE-----\nQUJD\nREVG\n-----END CERTIFICATE-----");
}

TEST(AtlassianSettings, TheSchemaHasTheSeedsFieldsThenRateAndDls) {
  std::vector<std::string> keys;
  for (const auto& f : schema(jira())) keys.push_back(f.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"data_source", "username", "password", "account_email",
                                            "api_token", "jira_url", "projects", "ssl_enabled",
                                            "ssl_ca", "retry_count", "concurrent_downloads",
                                            "use_document_level_security", "requests_per_second",
                                            "use_text_extraction_service"}));
  json published = schema_to_json(schema(jira()));
  EXPECT_EQ(published["data_source"]["value"], "jira_cloud");
  EXPECT_EQ(published["concurrent_downloads"]["value"], 100);
  EXPECT_EQ(published["api_token"]["sensitive"], true);
  EXPECT_EQ(published["username"]["depends_on"][0]["value"], "jira_server");
}

TEST(AtlassianRateLimiter, ABurstThenOneRequestPerInterval) {
  RateLimiter limiter(2, 2);  // 2 a second, 2 at once
  auto t0 = RateLimiter::Clock::now();
  EXPECT_EQ(limiter.reserve(t0), RateLimiter::Clock::duration::zero());
  EXPECT_EQ(limiter.reserve(t0), RateLimiter::Clock::duration::zero());
  EXPECT_EQ(limiter.reserve(t0), milliseconds(500));
  EXPECT_EQ(limiter.reserve(t0), milliseconds(1000));
  // After a quiet spell the bucket is full again, but no fuller.
  auto later = t0 + std::chrono::seconds(10);
  EXPECT_EQ(limiter.reserve(later), RateLimiter::Clock::duration::zero());
  EXPECT_EQ(limiter.reserve(later), RateLimiter::Clock::duration::zero());
  EXPECT_EQ(limiter.reserve(later), milliseconds(500));
  RateLimiter unlimited(0);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(unlimited.reserve(t0), RateLimiter::Clock::duration::zero());
}

User user(std::string account_id, std::string username, std::string email, std::string name,
          std::vector<std::pair<std::string, std::string>> groups) {
  User u;
  u.account_id = std::move(account_id);
  u.username = std::move(username);
  u.email = std::move(email);
  u.display_name = std::move(name);
  u.groups = std::move(groups);
  return u;
}

TEST(AtlassianIdentities, AUsersIdentitiesArePrefixedSortedAndUnique) {
  User cloud = user("5b10ac8d82e05b22cc7d4ef5", "", "mia@example.com", "Mia Krystof",
                    {{"g-1", "site-admins"}, {"g-1", "site-admins"}});
  EXPECT_EQ(identities_of(cloud),
            (std::vector<std::string>{"account_id:5b10ac8d82e05b22cc7d4ef5",
                                      "email_address:mia@example.com", "group:site-admins",
                                      "group_id:g-1", "name:Mia-Krystof"}));
  User server = user("", "jdoe", "", "", {{"", "jira-users"}});
  EXPECT_EQ(identities_of(server), (std::vector<std::string>{"group:jira-users", "user:jdoe"}));
  EXPECT_EQ(identity("account_id", ""), "");
  EXPECT_EQ(normalized({"b", "", "a", "b"}), (std::vector<std::string>{"a", "b"}));
  // No reader is not "no list": a document without one is everyone's under DLS.
  EXPECT_EQ(access_list({}), json({kNoReader}));
  EXPECT_EQ(access_list({"", "b", "a"}), json({"a", "b"}));
}

TEST(AtlassianIdentities, TheIdentityDocumentCarriesTheDlsQueryTemplate) {
  Document doc = identity_document(user("acc-1", "", "a@example.com", "A", {{"g", "devs"}}));
  EXPECT_EQ(doc.id, "acc-1");
  EXPECT_TRUE(doc.timestamp.empty()) << "the content hash decides, so an unchanged user is skipped";
  EXPECT_EQ(doc.fields["identity"]["account_id"], "account_id:acc-1");
  EXPECT_EQ(doc.fields["identity"]["email_address"], "email_address:a@example.com");
  const json& tmpl = doc.fields["query"]["template"];
  EXPECT_EQ(tmpl["params"]["access_control"],
            json({"account_id:acc-1", "email_address:a@example.com", "group:devs", "group_id:g",
                  "name:A"}));
  std::string source = tmpl["source"];
  EXPECT_NE(source.find("_allow_access_control.enum"), std::string::npos);
  EXPECT_NE(source.find("{{#toJson}}access_control{{/toJson}}"), std::string::npos);
  EXPECT_EQ(identity_document(user("", "jdoe", "", "", {})).id, "jdoe");
}

TEST(AtlassianRules, QueriesAreAListOfObjectsWithAQuery) {
  EXPECT_EQ(parse_query_rules(
                json::parse(R"([{"query": "space = DEV"}, {"query": "type = blogpost"}])"), "CQL"),
            (std::vector<std::string>{"space = DEV", "type = blogpost"}));
  for (const char* bad : {R"({"query": "x"})", R"([{"query": ""}])", R"([{"jql": "x"}])",
                          R"([{"query": "x", "extra": 1}])", R"(["x"])"}) {
    SCOPED_TRACE(bad);
    try {
      parse_query_rules(json::parse(bad), "JQL");
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), "advanced_snippet");
      EXPECT_NE(std::string(e.what()).find("JQL"), std::string::npos) << e.what();
    }
  }
}

TEST(AtlassianRules, QuotingAndErrorMessages) {
  EXPECT_EQ(quoted_list({"DEV", R"(a"b\c)"}), R"("DEV","a\"b\\c")");
  EXPECT_EQ(query_error(R"({"errorMessages": ["Field 'foo' does not exist."], "errors": {}})"),
            "Field 'foo' does not exist.");
  EXPECT_EQ(query_error(R"({"statusCode": 400, "message": "Could not parse cql : foo ="})"),
            "Could not parse cql : foo =");
  EXPECT_EQ(query_error("plain text"), "plain text");
}

}  // namespace
}  // namespace connectors::sources::atlassian
