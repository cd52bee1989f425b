#include "http/curl_easy.h"

#include <gtest/gtest.h>

namespace connectors::http {
namespace {

void feed(Headers& headers, std::string line) {
  collect_header(line.data(), 1, line.size(), &headers);
}

TEST(HttpCurlEasy, HeadersAreLowerCasedAndOnlyTheFinalResponsesKept) {
  Headers headers;
  feed(headers, "HTTP/1.1 200 Connection established\r\n");
  feed(headers, "Proxy-Agent: tunnel\r\n");
  feed(headers, "\r\n");
  feed(headers, "HTTP/1.1 503 Service Unavailable\r\n");
  feed(headers, "Retry-After:  7 \r\n");
  feed(headers, "X-Amz-Request-Id:\tabc\r\n");
  EXPECT_EQ(headers, (Headers{{"retry-after", "7"}, {"x-amz-request-id", "abc"}}));
}

TEST(HttpCurlEasy, PermanentFailuresAreTheOnesWaitingCannotHeal) {
  EXPECT_TRUE(is_permanent_failure(CURLE_PEER_FAILED_VERIFICATION));
  EXPECT_TRUE(is_permanent_failure(CURLE_URL_MALFORMAT));
  EXPECT_FALSE(is_permanent_failure(CURLE_COULDNT_CONNECT));
  EXPECT_FALSE(is_permanent_failure(CURLE_OPERATION_TIMEDOUT));
}

}  // namespace
}  // namespace connectors::http
