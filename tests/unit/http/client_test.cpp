// http::Client against a scripted loopback server (loopback_server.h).
#include "http/client.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "core/logging.h"
#include "loopback_server.h"

namespace connectors::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::LoopbackServer;
using testing::ReceivedRequest;
using testing::Reply;

ClientOptions fast(const LoopbackServer& server, int retry_count = 3) {
  ClientOptions options;
  options.base_url = server.url();
  options.retry = {retry_count, milliseconds(10), seconds(5), false};
  return options;
}

std::chrono::steady_clock::duration time_of(const std::function<void()>& work) {
  auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::steady_clock::now() - start;
}

TEST(HttpClient, ReturnsStatusLowerCasedHeadersAndBody) {
  LoopbackServer server([](const ReceivedRequest& r) {
    return Reply{
        200, {{"X-Thing", "one"}, {"Content-Type", "text/plain"}}, r.method + " " + r.target};
  });
  Client client(fast(server));
  Response response = client.send({"GET", "/a/b", {{"q", "x y"}, {"n", "1"}}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("x-thing"), "one");
  EXPECT_EQ(response.body, "GET /a/b?q=x%20y&n=1");
  EXPECT_EQ(client.send({"HEAD", "/h"}).body, "");
}

TEST(HttpClient, SendsDefaultAndRequestHeadersBodyAndAuth) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply{}; });
  ClientOptions options = fast(server);
  options.headers = {{"X-Default", "d"}, {"X-Both", "client"}};
  options.bearer_token = Secret("bearer-token-123");
  Client client(options);
  Request post("POST", "p");
  post.headers = {{"x-both", "request"}, {"Content-Type", "application/json"}};
  post.body = R"({"a":1})";
  client.send(post);
  Request shared_key("GET", "/sas");
  shared_key.authorization = Secret("SharedKey acct:sig");
  client.send(shared_key);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/p");
  EXPECT_EQ(requests[0].body, R"({"a":1})");
  EXPECT_EQ(requests[0].headers["x-default"], "d");
  EXPECT_EQ(requests[0].headers["x-both"], "request");
  EXPECT_EQ(requests[0].headers["content-type"], "application/json");
  EXPECT_EQ(requests[0].headers["authorization"], "Bearer bearer-token-123");
  EXPECT_TRUE(requests[0].headers["user-agent"].starts_with("elastic-connectors-cpp/"));
  EXPECT_EQ(requests[1].headers["authorization"], "SharedKey acct:sig");
}

TEST(HttpClient, BasicAuth) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply{}; });
  ClientOptions options = fast(server);
  options.username = "admin";
  options.password = Secret("changeme");
  Client(options).send({"GET", "/"});
  EXPECT_EQ(server.requests().at(0).headers["authorization"], "Basic YWRtaW46Y2hhbmdlbWU=");
}

TEST(HttpClient, KeepsConnectionsAlive) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply{200, {}, "ok"}; });
  Client client(fast(server));
  for (int i = 0; i < 5; ++i) client.send({"GET", "/seq"});
  EXPECT_EQ(server.connections(), 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) client.send({"GET", "/par"});
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(server.requests().size(), 45u);
  EXPECT_LE(server.connections(), 4);  // one per handle of the pool, at most one per thread
}

TEST(HttpClient, ErrorNamesMethodUrlStatusAndExcerptButNoSecrets) {
  LoopbackServer server([](const ReceivedRequest&) {
    return Reply{404, {}, "<Error><Code>NoSuchKey</Code>\n" + std::string(1000, 'x') + "</Error>"};
  });
  ClientOptions options = fast(server);
  options.bearer_token = Secret("tok-abcdef-123");
  Client client(options);
  try {
    client.send(
        {"GET", "/c/blob.txt", {{"sv", "2021"}, {"sig", "s3cr3t/sig"}, {"token", "t0ken"}}});
    FAIL() << "no error";
  } catch (const HttpError& e) {
    std::string what = e.what();
    EXPECT_EQ(e.status(), 404);
    EXPECT_TRUE(e.is_not_found());
    EXPECT_NE(what.find("GET " + server.url() + "/c/blob.txt?sv=2021&sig=***&token=***: HTTP 404"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("<Code>NoSuchKey</Code> xxx"), std::string::npos) << what;
    EXPECT_LT(what.size(), 500u) << what;
    for (const char* secret : {"s3cr3t", "t0ken", "tok-abcdef-123"}) {
      EXPECT_EQ(what.find(secret), std::string::npos) << secret;
    }
  }
  EXPECT_EQ(server.requests().size(), 1u);  // a 404 is not retried
}

TEST(HttpClient, AcceptedStatusIsReturned) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply{404, {}, "missing"}; });
  Client client(fast(server));
  Request optional("GET", "/x");
  optional.accept = {404};
  Response response = client.send(optional);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "missing");
}

TEST(HttpClient, RetriesTransientStatusesThenSucceeds) {
  std::atomic<int> calls{0};
  LoopbackServer server([&](const ReceivedRequest&) {
    int n = ++calls;
    return n == 1 ? Reply{503} : n == 2 ? Reply{500} : Reply{200, {}, "third"};
  });
  Client client(fast(server));
  EXPECT_EQ(client.send({"GET", "/"}).body, "third");
  EXPECT_EQ(calls, 3);
}

TEST(HttpClient, GivesUpAfterRetryCountRetries) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply{502, {}, "bad gateway"}; });
  Client client(fast(server, 2));
  try {
    client.send({"GET", "/"});
    FAIL() << "no error";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 502);
    EXPECT_NE(std::string(e.what()).find("(after 3 attempts)"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(HttpClient, RetriesADroppedConnection) {
  std::atomic<int> calls{0};
  LoopbackServer server([&](const ReceivedRequest&) {
    return ++calls == 1 ? Reply::dropped() : Reply{200, {}, "ok"};
  });
  Client client(fast(server));
  EXPECT_EQ(client.send({"GET", "/"}).body, "ok");
  EXPECT_EQ(calls, 2);
}

TEST(HttpClient, NoAnswerIsAnErrorWithStatusZero) {
  ClientOptions options;
  options.base_url = "http://127.0.0.1:1";  // nothing listens on port 1
  options.retry = {1, milliseconds(10), milliseconds(10), false};
  try {
    Client(options).send({"GET", "/"});
    FAIL() << "no error";
  } catch (const HttpError& e) {
    EXPECT_TRUE(e.is_connection_error());
    EXPECT_NE(std::string(e.what()).find("GET http://127.0.0.1:1/: no answer ("), std::string::npos)
        << e.what();
  }
}

TEST(HttpClient, RetryAfterIsHonouredOn429AndCapped) {
  std::atomic<int> calls{0};
  std::string retry_after = "1";
  LoopbackServer server([&](const ReceivedRequest&) {
    return ++calls % 2 == 1 ? Reply{429, {{"Retry-After", retry_after}}} : Reply{};
  });
  ClientOptions options = fast(server);
  Client client(options);
  auto honoured = time_of([&] { client.send({"GET", "/"}); });
  EXPECT_GE(honoured, milliseconds(1000));
  EXPECT_LT(honoured, milliseconds(3000));

  retry_after = "3600";
  options.retry.cap = milliseconds(300);
  Client capped(options);
  auto waited = time_of([&] { capped.send({"GET", "/"}); });
  EXPECT_GE(waited, milliseconds(300));
  EXPECT_LT(waited, milliseconds(2000));
}

TEST(HttpClient, RetryAfterOnlyCountsFor429And503) {
  std::atomic<int> calls{0};
  LoopbackServer server([&](const ReceivedRequest&) {
    return ++calls == 1 ? Reply{500, {{"Retry-After", "30"}}} : Reply{};
  });
  Client client(fast(server));
  EXPECT_LT(time_of([&] { client.send({"GET", "/"}); }), seconds(5));
}

// How long `client` takes to give up on GET / when a stop comes after 200 ms;
// it must end with Cancelled.
std::chrono::steady_clock::duration time_to_cancel(Client& client) {
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(milliseconds(200));
    stop.request_stop();
  });
  return time_of([&] { EXPECT_THROW(client.send({"GET", "/"}, stop.get_token()), Cancelled); });
}

TEST(HttpClient, StopEndsABackoffWait) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply{503, {{"Retry-After", "60"}}}; });
  ClientOptions options = fast(server);
  options.retry.cap = seconds(120);
  Client client(options);
  EXPECT_LT(time_to_cancel(client), seconds(5));
}

TEST(HttpClient, StopAbortsATransfer) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply::delayed(seconds(60)); });
  Client client(fast(server));
  EXPECT_LT(time_to_cancel(client), seconds(5));
}

TEST(HttpClient, ReadTimeoutEndsAStalledTransfer) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply::stalled("partial", 1000); });
  ClientOptions options = fast(server, 0);
  options.read_timeout = seconds(1);
  Client client(options);
  std::string got;
  auto waited = time_of([&] {
    try {
      client.download(
          {"GET", "/slow"}, [&](std::string_view chunk) { got.append(chunk); }, 1 << 20);
      ADD_FAILURE() << "no error";
    } catch (const HttpError& e) {
      EXPECT_TRUE(e.is_connection_error()) << e.what();
    }
  });
  EXPECT_EQ(got, "partial");
  EXPECT_GE(waited, milliseconds(900));
  EXPECT_LT(waited, seconds(5));
}

TEST(HttpClient, DownloadStreamsToTheSink) {
  std::string content(300000, 'c');
  for (size_t i = 0; i < content.size(); i += 7) content[i] = static_cast<char>('a' + i % 26);
  LoopbackServer server([&](const ReceivedRequest&) {
    return Reply{200, {{"ETag", "\"e1\""}}, content};
  });
  Client client(fast(server));
  std::string got;
  int chunks = 0;
  auto result = client.download(
      {"GET", "/obj"},
      [&](std::string_view chunk) {
        got.append(chunk);
        ++chunks;
      },
      content.size());
  EXPECT_EQ(result.status, 200);
  EXPECT_FALSE(result.over_limit);
  EXPECT_EQ(result.bytes, content.size());
  EXPECT_EQ(result.headers["etag"], "\"e1\"");
  EXPECT_EQ(got, content);
  EXPECT_GT(chunks, 1);  // streamed, not handed over in one piece
}

TEST(HttpClient, DownloadOverTheLimitByContentLengthDeliversNothing) {
  LoopbackServer server([](const ReceivedRequest&) {
    return Reply{200, {}, std::string(5000, 'x')};
  });
  Client client(fast(server));
  std::string got;
  auto result = client.download(
      {"GET", "/big"}, [&](std::string_view c) { got.append(c); }, 4999);
  EXPECT_TRUE(result.over_limit);
  EXPECT_EQ(result.bytes, 0u);
  EXPECT_EQ(got, "");
  EXPECT_EQ(server.requests().size(), 1u);  // not retried
}

TEST(HttpClient, DownloadOverTheLimitWithoutContentLengthStopsAtTheLimit) {
  LoopbackServer server(
      [](const ReceivedRequest&) { return Reply::unsized(std::string(200000, 'x')); });
  Client client(fast(server));
  uint64_t got = 0;
  auto result = client.download(
      {"GET", "/big"}, [&](std::string_view c) { got += c.size(); }, 50000);
  EXPECT_TRUE(result.over_limit);
  EXPECT_LE(got, 50000u);
  EXPECT_EQ(result.bytes, got);
}

TEST(HttpClient, DownloadErrorLeavesTheSinkUntouched) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply{403, {}, "AccessDenied"}; });
  Client client(fast(server));
  std::string got;
  try {
    client.download(
        {"GET", "/obj"}, [&](std::string_view c) { got.append(c); }, 1000);
    FAIL() << "no error";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 403);
    EXPECT_EQ(e.detail(), "AccessDenied");
  }
  EXPECT_EQ(got, "");
}

TEST(HttpClient, SinkExceptionReachesTheCaller) {
  LoopbackServer server([](const ReceivedRequest&) { return Reply{200, {}, "data"}; });
  Client client(fast(server));
  EXPECT_THROW(
      client.download(
          {"GET", "/"}, [](std::string_view) { throw std::runtime_error("disk full"); }, 100),
      std::runtime_error);
}

TEST(HttpClient, SendRefusesABodyOverItsCap) {
  LoopbackServer server([](const ReceivedRequest&) {
    return Reply{200, {}, std::string(2000, 'x')};
  });
  ClientOptions options = fast(server);
  options.max_response_bytes = 1000;
  EXPECT_THROW(Client(options).send({"GET", "/"}), HttpError);
}

TEST(HttpClient, JsonAndPagedListing) {
  LoopbackServer server([](const ReceivedRequest& r) {
    if (r.target == "/list") return Reply{200, {}, R"({"items":[1,2],"next":"p2"})"};
    if (r.target == "/list?page=p2") return Reply{200, {}, R"({"items":[3]})"};
    return Reply{200, {}, "not json"};
  });
  Client client(fast(server));
  std::vector<int> items;
  client.paginate({"GET", "/list"}, [&](const Response& page) -> std::optional<Request> {
    auto doc = nlohmann::json::parse(page.body);
    for (int item : doc["items"]) items.push_back(item);
    if (!doc.contains("next")) return std::nullopt;
    return Request("GET", "/list", {{"page", doc["next"]}});
  });
  EXPECT_EQ(items, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(client.send_json({"GET", "/list?page=p2"})["items"][0], 3);
  EXPECT_THROW(client.send_json({"GET", "/other"}), HttpError);
}

TEST(HttpClient, SigningSortsTheQuery) {
  ClientOptions options;
  options.base_url = "http://s3.local:9000/";
  options.aws_sigv4 = AwsSigV4{"us-east-1", "s3", "AKID", Secret("secret-key"), Secret()};
  Client client(options);
  EXPECT_EQ(client.url_of({"GET", "/b", {{"prefix", "d/"}, {"list-type", "2"}}}),
            "http://s3.local:9000/b?list-type=2&prefix=d%2F");
  EXPECT_EQ(client.url_of({"GET", "http://other/x?a=1", {{"b", "2"}}}), "http://other/x?a=1&b=2");
}

TEST(HttpClient, RetryLogLinesCarryNoSecrets) {
  std::ostringstream captured;
  logging::setup(logging::Format::kText, spdlog::level::info,
                 std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  std::atomic<int> calls{0};
  LoopbackServer server(
      [&](const ReceivedRequest&) { return ++calls == 1 ? Reply{503} : Reply{}; });
  Client client(fast(server));
  client.send({"GET", "/c/b", {{"sig", "qs-secret-1"}}});
  spdlog::default_logger()->flush();
  std::string log = captured.str();
  logging::setup(logging::Format::kText, spdlog::level::info);
  EXPECT_NE(log.find("GET " + server.url() + "/c/b?sig=*** failed (HTTP 503), retry 1/3"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("qs-secret-1"), std::string::npos) << log;
}

// libcurl reads http_proxy / https_proxy itself: nothing in the client may turn that off.
class HttpClientProxy : public ::testing::Test {
 protected:
  void TearDown() override {
    ::unsetenv("http_proxy");
    ::unsetenv("https_proxy");
  }
};

TEST_F(HttpClientProxy, HttpProxyFromTheEnvironment) {
  LoopbackServer proxy([](const ReceivedRequest&) { return Reply{200, {}, "via proxy"}; });
  ::setenv("http_proxy", proxy.url().c_str(), 1);
  ClientOptions options;
  options.base_url = "http://origin.invalid";
  options.retry.retry_count = 0;
  EXPECT_EQ(Client(options).send({"GET", "/doc"}).body, "via proxy");
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_EQ(proxy.requests()[0].target, "http://origin.invalid/doc");
}

TEST_F(HttpClientProxy, HttpsProxyFromTheEnvironment) {
  LoopbackServer proxy([](const ReceivedRequest&) { return Reply{403, {}, "no tunnel"}; });
  ::setenv("https_proxy", proxy.url().c_str(), 1);
  ClientOptions options;
  options.base_url = "https://origin.invalid";
  options.retry.retry_count = 0;
  EXPECT_THROW(Client(options).send({"GET", "/doc"}), HttpError);
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_EQ(proxy.requests()[0].method, "CONNECT");
  EXPECT_EQ(proxy.requests()[0].target, "origin.invalid:443");
}

}  // namespace
}  // namespace connectors::http
