#include "http/url.h"

#include <gtest/gtest.h>

namespace connectors::http {
namespace {

TEST(HttpUrl, PercentEncodesAllButUnreserved) {
  EXPECT_EQ(percent_encode("a b/c+d~e_f.g-h"), "a%20b%2Fc%2Bd~e_f.g-h");
  EXPECT_EQ(percent_encode("dir/a b.txt", true), "dir/a%20b.txt");
  EXPECT_EQ(percent_encode("\xC3\xA9"), "%C3%A9");
}

TEST(HttpUrl, QueryStringKeepsOrderOrSortsForSigning) {
  QueryParams params = {{"prefix", "dir/"}, {"list-type", "2"}, {"continuation-token", "a+b=/c"}};
  EXPECT_EQ(query_string(params), "prefix=dir%2F&list-type=2&continuation-token=a%2Bb%3D%2Fc");
  EXPECT_EQ(query_string(params, true),
            "continuation-token=a%2Bb%3D%2Fc&list-type=2&prefix=dir%2F");
}

TEST(HttpUrl, DisplayUrlMasksQuerySecretsAndCredentials) {
  EXPECT_EQ(display_url("https://user:pw@acct.blob.example/c/b?sv=2021&sig=abc%2Fdef&sp=r"),
            "https://acct.blob.example/c/b?sv=2021&sig=***&sp=r");
  EXPECT_EQ(
      display_url("http://s3/b/k?X-Amz-Credential=AKID&X-Amz-Signature=f00&X-Amz-Security-Token=t"),
      "http://s3/b/k?X-Amz-Credential=AKID&X-Amz-Signature=***&X-Amz-Security-Token=***");
  EXPECT_EQ(display_url("http://h/p?access_token=a&token=b&key=c&prefix=d#frag"),
            "http://h/p?access_token=***&token=***&key=***&prefix=d#frag");
  EXPECT_EQ(display_url("http://h/p"), "http://h/p");
}

}  // namespace
}  // namespace connectors::http
