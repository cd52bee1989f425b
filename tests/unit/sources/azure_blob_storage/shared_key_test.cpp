// Shared Key signing: the canonicalized resources of Microsoft's "Authorize
// with Shared Key" examples, and whole signatures checked against HMACs
// computed outside this code (openssl dgst -mac HMAC over the string to sign).
#include "sources/azure_blob_storage/shared_key.h"

#include <gtest/gtest.h>

namespace connectors::sources::azure {
namespace {

constexpr const char* kDevKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

TEST(SharedKeyTest, CanonicalizedResourceAsMicrosoftsExamples) {
  EXPECT_EQ(canonicalized_resource("myaccount", "/mycontainer",
                                   {{"restype", "container"}, {"comp", "metadata"}}),
            "/myaccount/mycontainer\ncomp:metadata\nrestype:container");
  // A repeated parameter: its values sorted and comma-joined, under one name.
  EXPECT_EQ(canonicalized_resource("myaccount", "/mycontainer",
                                   {{"restype", "container"},
                                    {"comp", "list"},
                                    {"include", "snapshots"},
                                    {"include", "metadata"},
                                    {"include", "uncommittedblobs"}}),
            "/myaccount/mycontainer\ncomp:list\ninclude:metadata,snapshots,uncommittedblobs\n"
            "restype:container");
  EXPECT_EQ(canonicalized_resource("myaccount", "/mycontainer/myblob", {}),
            "/myaccount/mycontainer/myblob");
}

TEST(SharedKeyTest, QueryNamesAreLowerCasedAndValuesKeptRaw) {
  EXPECT_EQ(canonicalized_resource("acct", "/acct/c", {{"Marker", "a b&c"}, {"comp", "list"}}),
            "/acct/acct/c\ncomp:list\nmarker:a b&c");
}

TEST(SharedKeyTest, CanonicalizedHeadersKeepOnlyXMsSortedAndFolded) {
  EXPECT_EQ(canonicalized_headers({{"X-Ms-Version", "2021-08-06"},
                                   {"Content-Type", "text/plain"},
                                   {"x-ms-date", "Sun, 06 Dec 2026 16:38:34 GMT"},
                                   {"x-ms-meta-Note", "  two   words "}}),
            "x-ms-date:Sun, 06 Dec 2026 16:38:34 GMT\nx-ms-meta-note:two words\n"
            "x-ms-version:2021-08-06\n");
}

TEST(SharedKeyTest, ListBlobsOfAPathStyleEndpointSignsAsAzuriteChecks) {
  std::map<std::string, std::string> headers = {{"x-ms-date", "Sun, 06 Dec 2026 16:38:34 GMT"},
                                                {"x-ms-version", "2021-08-06"}};
  http::QueryParams query = {{"restype", "container"}, {"comp", "list"}, {"maxresults", "2"}};
  std::string to_sign =
      string_to_sign("GET", headers, "devstoreaccount1", "/devstoreaccount1/conn-container", query);
  // The account twice: once for the canonical form, once in the path-style URL.
  EXPECT_EQ(to_sign,
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Sun, 06 Dec 2026 16:38:34 GMT\n"
            "x-ms-version:2021-08-06\n/devstoreaccount1/devstoreaccount1/conn-container\n"
            "comp:list\nmaxresults:2\nrestype:container");
  auto key = decode_account_key(kDevKey);
  ASSERT_TRUE(key);
  EXPECT_EQ(authorization("devstoreaccount1", *key, to_sign),
            "SharedKey devstoreaccount1:8lqQT/zt02QtdXEfpXgEgXjVdjqCiBqzz0GROmT1J2s=");
}

TEST(SharedKeyTest, PutWithABodySignsItsLengthTypeAndMetadata) {
  std::map<std::string, std::string> headers = {{"x-ms-date", "Sun, 06 Dec 2026 16:38:34 GMT"},
                                                {"x-ms-version", "2021-08-06"},
                                                {"Content-Length", "11"},
                                                {"Content-Type", "text/plain"},
                                                {"x-ms-blob-type", "BlockBlob"},
                                                {"x-ms-meta-k", "v"}};
  std::string to_sign = string_to_sign("PUT", headers, "devstoreaccount1",
                                       "/devstoreaccount1/conn-container/a%20b/x.txt", {});
  EXPECT_EQ(to_sign.substr(0, 21), "PUT\n\n\n11\n\ntext/plain\n");
  EXPECT_EQ(authorization("devstoreaccount1", *decode_account_key(kDevKey), to_sign),
            "SharedKey devstoreaccount1:zLywEZBJiLTDKoCH/za8YUYJPGIdg+r+2FENAh45CSk=");
}

TEST(SharedKeyTest, AZeroContentLengthIsSignedEmpty) {
  auto with_zero = string_to_sign("GET", {{"Content-Length", "0"}}, "a", "/a/c", {});
  EXPECT_EQ(with_zero, string_to_sign("GET", {}, "a", "/a/c", {}));
}

TEST(SharedKeyTest, AnotherKeySignsDifferently) {
  std::string to_sign = string_to_sign("GET", {}, "a", "/a/c", {});
  auto other = decode_account_key("AAAAAAAAAAAAAAAAAAAAAA==");
  ASSERT_TRUE(other);
  EXPECT_NE(authorization("a", *decode_account_key(kDevKey), to_sign),
            authorization("a", *other, to_sign));
}

TEST(SharedKeyTest, AccountKeysMustBeBase64) {
  auto key = decode_account_key(kDevKey);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 64U);
  EXPECT_EQ(decode_account_key("aGk=").value(), "hi");
  EXPECT_EQ(decode_account_key("aGVsbG8h").value(), "hello!");
  EXPECT_FALSE(decode_account_key(""));
  EXPECT_FALSE(decode_account_key("not a key"));
  EXPECT_FALSE(decode_account_key("aGk"));   // length not a multiple of 4
  EXPECT_FALSE(decode_account_key("a=Gk"));  // padding inside
  EXPECT_FALSE(decode_account_key("aG-_"));  // the URL-safe alphabet is not the key's
}

TEST(SharedKeyTest, DatesAreRfc1123InEnglish) {
  EXPECT_EQ(rfc1123(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(rfc1123(1683720000), "Wed, 10 May 2023 12:00:00 GMT");
}

}  // namespace
}  // namespace connectors::sources::azure
