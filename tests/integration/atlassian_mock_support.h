// The Confluence and Jira integration tests' mock (tests/servers/atlassian.sh):
// started per test suite, its control endpoints (/_mock/...), and the check
// every test ends with: the source called no endpoint the mock does not know.
#pragma once

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "core/errors.h"
#include "core/logging.h"
#include "es/client.h"
#include "http/client.h"
#include "sources/registry.h"
#include "sql_server_support.h"

namespace connectors::testing {

class AtlassianMock {
 public:
  // `tls`: HTTPS with a certificate from a test CA (ca_pem()).
  AtlassianMock(const std::string& product, const std::string& deployment,
                const std::string& mock_args = "", bool tls = false)
      : product_(product),
        deployment_(deployment),
        server_("atlassian", std::string(tls ? "TLS=1 " : "") + "PRODUCT=" + product +
                                 " DEPLOYMENT=" + deployment + " MOCK_ARGS='" + mock_args + "'"),
        control_([this, tls] {
          http::ClientOptions o;
          o.base_url = server_["url"];
          o.retry.retry_count = 0;
          if (tls) o.tls.ca_file = server_["ca"];
          return o;
        }()) {}

  bool cloud() const { return deployment_ == "cloud"; }
  const std::string& url() const { return server_["url"]; }
  // The test CA that signed the mock's certificate, as PEM text.
  std::string ca_pem() const {
    std::ifstream in(server_["ca"]);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // The connector's configuration for this mock; `secret` replaces the right one.
  nlohmann::json config(const std::string& keys = "*", const std::string& secret = "") const {
    nlohmann::json c = {{"data_source", product_ + "_" + deployment_},
                        {product_ + "_url", server_["url"]},
                        {product_ == "confluence" ? "spaces" : "projects", keys},
                        {"retry_count", 3},
                        {"requests_per_second", 0}};
    const std::string& pass = secret.empty() ? server_["password"] : secret;
    if (cloud()) {
      c["account_email"] = server_["user"];
      c["api_token"] = pass;
    } else {
      c["username"] = server_["user"];
      c["password"] = pass;
    }
    return c;
  }

  std::unique_ptr<sources::Source> source(const nlohmann::json& values) const {
    return sources::make_source(product_, values);
  }

  nlohmann::json get(const std::string& path, http::QueryParams query = {}) {
    return control_.send_json(http::Request("GET", path, std::move(query)));
  }
  nlohmann::json post(const std::string& path, http::QueryParams query = {}) {
    return control_.send_json(http::Request("POST", path, std::move(query)));
  }
  // Fails the test when the source called an endpoint the mock does not know.
  void expect_no_unknown_endpoint() {
    auto unknown = get("/_mock/unknown");
    EXPECT_TRUE(unknown.empty()) << "endpoints the mock does not know: " << unknown.dump();
  }
  std::set<std::string> visible_to(const std::string& user) {
    std::set<std::string> ids;
    for (const auto& id : get("/_mock/visible", {{"user", user}}))
      ids.insert(id.get<std::string>());
    return ids;
  }

 private:
  std::string product_;
  std::string deployment_;
  SqlServer server_;
  http::Client control_;
};

// The service's log lines while it lives (the retry waits the client logs).
class LogCapture {
 public:
  LogCapture() {
    logging::setup(logging::Format::kText, spdlog::level::info,
                   std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_));
  }
  ~LogCapture() { logging::setup(logging::Format::kText, spdlog::level::info); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::string text() {
    spdlog::default_logger()->flush();
    return lines_.str();
  }

 private:
  std::ostringstream lines_;
};

// Keeps an attachment's bytes.
class ByteSink final : public sources::ContentSink {
 public:
  bool write(std::string_view bytes) override {
    text.append(bytes);
    return true;
  }
  std::string text;
};

// A wrong secret: the ping fails at once with a 401 naming the user, never the secret.
inline void expect_a_wrong_secret_named_by_user(AtlassianMock& mock) {
  try {
    mock.source(mock.config("*", "wrong-secret-value"))->ping({});
    ADD_FAILURE() << "a wrong secret was accepted";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
    EXPECT_NE(message.find(mock.cloud() ? "connectors@example.com" : "'admin'"), std::string::npos)
        << message;
    EXPECT_EQ(message.find("wrong-secret-value"), std::string::npos) << message;
  }
  EXPECT_EQ(mock.get("/_mock/stats")["calls"].size(), 0u) << "refused before any route";
}

// A 429 storm (two answers, Retry-After: 1) while `keys` are listed: every
// document comes once, and each wait is logged naming the request.
inline void expect_a_429_storm_to_end_with_every_document_once(AtlassianMock& mock,
                                                               const std::string& keys,
                                                               size_t documents) {
  LogCapture log;
  mock.post("/_mock/storm", {{"count", "2"}, {"retry_after", "1"}});
  CollectSink sink;
  mock.source(mock.config(keys))->documents(sink, {});
  std::set<std::string> ids;
  for (const auto& d : sink.docs) ids.insert(d.id);
  EXPECT_EQ(ids.size(), sink.docs.size());
  EXPECT_EQ(sink.docs.size(), documents);
  EXPECT_EQ(mock.get("/_mock/stats")["throttled"], 2);
  // Retry-After (1 s) or the backoff, whichever is longer.
  std::string lines = log.text();
  EXPECT_NE(lines.find("failed (HTTP 429), retry 1/3 in 2000 ms"), std::string::npos) << lines;
  EXPECT_NE(lines.find("failed (HTTP 429), retry 2/3 in 4000 ms"), std::string::npos) << lines;
}

// Every identity document of `acl_index`, its query template rendered with
// its own parameters (as an application applying the framework's DLS does)
// and run on `index`: each user finds exactly what the mock says they may see.
inline void expect_each_user_sees_exactly_their_documents(es::Client& client,
                                                          const std::string& index,
                                                          const std::string& acl_index,
                                                          AtlassianMock& mock,
                                                          size_t expected_users) {
  client.refresh(acl_index);
  client.refresh(index);
  auto users = client.search(
      acl_index, {{"size", 1000}, {"query", {{"match_all", nlohmann::json::object()}}}});
  ASSERT_EQ(users["hits"]["hits"].size(), expected_users) << users.dump();
  for (const auto& hit : users["hits"]["hits"]) {
    std::string user = hit["_id"];
    SCOPED_TRACE("user " + user);
    const auto& tmpl = hit["_source"]["query"]["template"];
    std::string source = tmpl["source"];
    const std::string slot = "{{#toJson}}access_control{{/toJson}}";
    source.replace(source.find(slot), slot.size(), tmpl["params"]["access_control"].dump());
    auto found = client.search(
        index, {{"size", 10000}, {"_source", false}, {"query", nlohmann::json::parse(source)}});
    std::set<std::string> ids;
    for (const auto& doc : found["hits"]["hits"]) ids.insert(doc["_id"].get<std::string>());
    auto expected = mock.visible_to(user);
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(ids, expected);
  }
}

}  // namespace connectors::testing
