// http::Client's AWS Signature V4 (libcurl's CURLOPT_AWS_SIGV4) against a real
// MinIO, which verifies every signature. MinIO is started for the suite by
// tests/servers/minio.sh (SqlServer runs any tests/servers script that way); a
// MinIO that cannot start fails the tests.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http/client.h"
#include "sql_server_support.h"

namespace connectors::http {
namespace {

using testing::SqlServer;

// The texts of every <tag>…</tag> in an S3 XML answer.
std::vector<std::string> xml_values(const std::string& xml, const std::string& tag) {
  std::vector<std::string> out;
  std::regex element("<" + tag + ">([^<]*)</" + tag + ">");
  for (std::sregex_iterator it(xml.begin(), xml.end(), element), end; it != end; ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

// XML text unescaped as S3 escapes it (continuation tokens may hold & or +).
std::string xml_text(std::string text) {
  for (auto [entity, plain] :
       {std::pair{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}}) {
    for (size_t at; (at = text.find(entity)) != std::string::npos;)
      text.replace(at, std::string(entity).size(), plain);
  }
  return text;
}

class MinioTest : public ::testing::Test {
 protected:
  // A MinIO that cannot start fails every test (never a skip).
  static void SetUpTestSuite() {
    try {
      server_ = new SqlServer("minio");
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "MinIO did not start: " << start_error_; }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static ClientOptions options(const std::string& secret, const std::string& service = "s3") {
    ClientOptions options;
    options.base_url = (*server_)["url"];
    options.aws_sigv4 =
        AwsSigV4{(*server_)["region"], service, (*server_)["user"], Secret(secret), Secret()};
    options.retry = {1, std::chrono::milliseconds(50), std::chrono::milliseconds(200), false};
    return options;
  }
  static Client& client() {
    static Client shared(options((*server_)["password"]));
    return shared;
  }
  static void make_bucket(const std::string& bucket) {
    Request create("PUT", "/" + bucket);
    create.accept = {409};  // made by an earlier test
    client().send(create);
  }

  static SqlServer* server_;
  static std::string start_error_;
};

SqlServer* MinioTest::server_ = nullptr;
std::string MinioTest::start_error_;

TEST_F(MinioTest, ListBucketsAndCreateOne) {
  make_bucket("conn-list");
  Response buckets = client().send({"GET", "/"});
  EXPECT_NE(buckets.body.find("<ListAllMyBucketsResult"), std::string::npos) << buckets.body;
  auto names = xml_values(buckets.body, "Name");
  EXPECT_NE(std::find(names.begin(), names.end(), "conn-list"), names.end()) << buckets.body;
}

TEST_F(MinioTest, PutGetHeadAndDownloadAnObjectWithAnAwkwardKey) {
  make_bucket("conn-objects");
  const std::string key = "dir/a b+c=d&e(1)~ü.txt";
  const std::string path = "/conn-objects/" + percent_encode(key, true);
  std::string content(100000, 'x');
  for (size_t i = 0; i < content.size(); i += 11) content[i] = static_cast<char>('a' + i % 26);

  Request put("PUT", path);
  put.body = content;
  put.headers = {{"Content-Type", "text/plain"}};
  client().send(put);

  EXPECT_EQ(client().send({"GET", path}).body, content);
  Response head = client().send({"HEAD", path});
  EXPECT_EQ(head.header("content-length"), std::to_string(content.size()));
  EXPECT_FALSE(head.header("etag").empty());

  std::string streamed;
  auto result = client().download(
      {"GET", path}, [&](std::string_view c) { streamed.append(c); }, 1 << 20);
  EXPECT_EQ(streamed, content);
  EXPECT_FALSE(result.over_limit);
  auto capped = client().download(
      {"GET", path}, [](std::string_view) {}, 1000);
  EXPECT_TRUE(capped.over_limit);

  // A payload the signature does not cover, as S3 allows over TLS.
  Request unsigned_put("PUT", "/conn-objects/unsigned.txt");
  unsigned_put.body = "not hashed";
  unsigned_put.headers = {{"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}};
  client().send(unsigned_put);
  EXPECT_EQ(client().send({"GET", "/conn-objects/unsigned.txt"}).body, "not hashed");

  Request missing("GET", "/conn-objects/missing.txt");
  missing.accept = {404};
  EXPECT_EQ(client().send(missing).status, 404);
}

TEST_F(MinioTest, ListObjectsV2PagesWithContinuationTokens) {
  make_bucket("conn-pages");
  std::set<std::string> keys = {"dir/1.txt", "dir/2 two.txt", "dir/3+three.txt", "dir/sub/4.txt",
                                "other/5.txt"};
  for (const auto& key : keys) {
    Request put("PUT", "/conn-pages/" + percent_encode(key, true));
    put.body = key;
    client().send(put);
  }
  std::set<std::string> listed;
  int pages = 0;
  std::vector<std::string> tokens;
  QueryParams first = {{"prefix", "dir/"}, {"max-keys", "2"}, {"list-type", "2"}};
  client().paginate({"GET", "/conn-pages", first},
                    [&](const Response& page) -> std::optional<Request> {
                      ++pages;
                      for (const auto& key : xml_values(page.body, "Key"))
                        listed.insert(xml_text(key));
                      auto next = xml_values(page.body, "NextContinuationToken");
                      if (next.empty()) return std::nullopt;
                      tokens.push_back(xml_text(next[0]));
                      QueryParams query = first;
                      query.emplace_back("continuation-token", tokens.back());
                      return Request("GET", "/conn-pages", query);
                    });
  EXPECT_EQ(listed, (std::set<std::string>{"dir/1.txt", "dir/2 two.txt", "dir/3+three.txt",
                                           "dir/sub/4.txt"}));
  EXPECT_EQ(pages, 2);
  ASSERT_FALSE(tokens.empty());
  // The token is what makes the query need encoding: it must have had characters to encode.
  EXPECT_NE(percent_encode(tokens[0]), tokens[0]) << tokens[0];
}

TEST_F(MinioTest, TemporaryCredentialsWithASessionToken) {
  Client sts(options((*server_)["password"], "sts"));
  Request assume("POST", "/");
  assume.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  assume.body = "Action=AssumeRole&Version=2011-06-15&DurationSeconds=900";
  // MinIO serves S3 before its identity subsystem is up, and until then answers
  // STS with 400 "Server not initialized, please try again": do as it says.
  Response answer;
  for (int attempt = 1;; ++attempt) {
    try {
      answer = sts.send(assume);
      break;
    } catch (const HttpError& e) {
      if (attempt == 60 || e.detail().find("Server not initialized") == std::string::npos) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  auto key = xml_values(answer.body, "AccessKeyId");
  auto secret = xml_values(answer.body, "SecretAccessKey");
  auto token = xml_values(answer.body, "SessionToken");
  ASSERT_TRUE(!key.empty() && !secret.empty() && !token.empty()) << answer.body;

  ClientOptions temporary = options(secret[0]);
  temporary.aws_sigv4->access_key_id = key[0];
  temporary.aws_sigv4->session_token = Secret(token[0]);
  EXPECT_NE(Client(temporary).send({"GET", "/"}).body.find("<ListAllMyBucketsResult"),
            std::string::npos);

  temporary.aws_sigv4->session_token = Secret();  // the same keys without their token are refused
  EXPECT_THROW(Client(temporary).send({"GET", "/"}), HttpError);
}

TEST_F(MinioTest, WrongSecretIsAnErrorNamingTheKeyIdNotTheSecret) {
  const std::string wrong = "wrong-secret-9f3b2c";
  Client client(options(wrong));
  try {
    client.send({"GET", "/conn-pages", {{"list-type", "2"}, {"prefix", "dir/"}}});
    FAIL() << "a wrong secret was accepted";
  } catch (const HttpError& e) {
    std::string what = e.what();
    EXPECT_EQ(e.status(), 403);
    EXPECT_NE(what.find("SignatureDoesNotMatch"), std::string::npos) << what;
    EXPECT_NE(what.find("access key id " + (*server_)["user"]), std::string::npos) << what;
    EXPECT_EQ(what.find(wrong), std::string::npos) << what;
    EXPECT_EQ(what.find((*server_)["password"]), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace connectors::http
