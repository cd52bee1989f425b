#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "sources/google_cloud_storage/gcs_documents.h"
#include "sources/google_cloud_storage/google_cloud_storage_source.h"
#include "sources/google_cloud_storage/service_account.h"

namespace connectors::sources::gcs {
namespace {

using nlohmann::json;

// A fresh RSA key pair: (private PKCS#8 PEM, public SPKI PEM).
std::pair<std::string, std::string> make_key_pair() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  auto pem = [&](bool is_private) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (is_private) {
      PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    } else {
      PEM_write_bio_PUBKEY(bio.get(), key.get());
    }
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
  };
  return {pem(true), pem(false)};
}

std::string base64url_decode(std::string text) {
  for (auto& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  size_t padding = (4 - text.size() % 4) % 4;
  text.append(padding, '=');
  std::string out(text.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

bool verify_rs256(const std::string& public_pem, const std::string& input,
                  const std::string& signature) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get());
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                          input.size()) == 1;
}

std::vector<std::string> split_jwt(const std::string& jwt) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot = jwt.find('.'); dot != std::string::npos; dot = jwt.find('.', start)) {
    parts.push_back(jwt.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(jwt.substr(start));
  return parts;
}

json key_json(const std::string& private_pem) {
  return {{"type", "service_account"},
          {"project_id", "proj-1"},
          {"private_key_id", "kid-1"},
          {"private_key", private_pem},
          {"client_email", "sync@proj-1.iam.gserviceaccount.com"},
          {"client_id", "42"},
          {"auth_uri", "https://accounts.google.com/o/oauth2/auth"},
          {"token_uri", "https://oauth2.googleapis.com/token"},
          {"universe_domain", "googleapis.com"}};
}

TEST(GcsBase64Url, Rfc4648Vectors) {
  EXPECT_EQ(base64url(""), "");
  EXPECT_EQ(base64url("f"), "Zg");
  EXPECT_EQ(base64url("fo"), "Zm8");
  EXPECT_EQ(base64url("foo"), "Zm9v");
  EXPECT_EQ(base64url("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url("\xfb\xff"), "-_8");  // the url-safe alphabet, no padding
}

TEST(GcsServiceAccount, IgnoresUnknownKeysSuchAsUniverseDomain) {
  auto [private_pem, public_pem] = make_key_pair();
  ServiceAccountKey key = parse_service_account(key_json(private_pem).dump());
  EXPECT_EQ(key.project_id, "proj-1");
  EXPECT_EQ(key.client_email, "sync@proj-1.iam.gserviceaccount.com");
  EXPECT_EQ(key.token_uri, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(key.private_key_id, "kid-1");
  EXPECT_EQ(key.private_key.reveal(), private_pem);
}

TEST(GcsServiceAccount, InvalidJsonNamesTheField) {
  try {
    parse_service_account("{not json");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "service_account_credentials");
    EXPECT_NE(std::string(e.what()).find("Google Cloud service account is not a valid JSON."),
              std::string::npos);
  }
  EXPECT_THROW(parse_service_account("[1, 2]"), ConfigError);
  json missing = key_json("k");
  missing.erase("client_email");
  EXPECT_THROW(parse_service_account(missing.dump()), ConfigError);
}

TEST(GcsServiceAccount, OneLinePrivateKeyIsRebuilt) {
  auto [private_pem, public_pem] = make_key_pair();
  std::string one_line = private_pem;
  for (auto& c : one_line) {
    if (c == '\n') c = ' ';
  }
  EXPECT_EQ(private_key_pem(one_line), private_pem);
  EXPECT_EQ(private_key_pem(private_pem), private_pem);
  // The rebuilt key signs.
  ServiceAccountKey key = parse_service_account(key_json(one_line).dump());
  auto parts = split_jwt(jwt_assertion(key, kReadOnlyScope, 1700000000));
  ASSERT_EQ(parts.size(), 3U);
  EXPECT_TRUE(verify_rs256(public_pem, parts[0] + "." + parts[1], base64url_decode(parts[2])));
}

TEST(GcsJwt, HeaderClaimsAndSignatureVerifyWithThePublicKey) {
  auto [private_pem, public_pem] = make_key_pair();
  ServiceAccountKey key = parse_service_account(key_json(private_pem).dump());
  auto parts = split_jwt(jwt_assertion(key, kReadOnlyScope, 1700000000));
  ASSERT_EQ(parts.size(), 3U);
  EXPECT_EQ(json::parse(base64url_decode(parts[0])),
            json({{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "kid-1"}}));
  EXPECT_EQ(json::parse(base64url_decode(parts[1])),
            json({{"iss", "sync@proj-1.iam.gserviceaccount.com"},
                  {"scope", "https://www.googleapis.com/auth/devstorage.read_only"},
                  {"aud", "https://oauth2.googleapis.com/token"},
                  {"iat", 1700000000},
                  {"exp", 1700003600}}));
  std::string signature = base64url_decode(parts[2]);
  EXPECT_EQ(signature.size(), 256U);  // RSA-2048
  EXPECT_TRUE(verify_rs256(public_pem, parts[0] + "." + parts[1], signature));

  // Tampered claims, or another key's public half: the signature no longer holds.
  json claims = json::parse(base64url_decode(parts[1]));
  claims["iss"] = "someone-else@proj-1.iam.gserviceaccount.com";
  EXPECT_FALSE(verify_rs256(public_pem, parts[0] + "." + base64url(claims.dump()), signature));
  EXPECT_FALSE(verify_rs256(make_key_pair().second, parts[0] + "." + parts[1], signature));
}

TEST(GcsJwt, UnreadableKeyNamesTheAccountNotTheKey) {
  json broken =
      key_json("-----BEGIN PRIVATE KEY----- c2VjcmV0LWtleS1ieXRlcw== -----END PRIVATE KEY-----");
  ServiceAccountKey key = parse_service_account(broken.dump());
  try {
    jwt_assertion(key, kReadOnlyScope, 1700000000);
    FAIL() << "no error";
  } catch (const SourceError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("sync@proj-1.iam.gserviceaccount.com"), std::string::npos) << what;
    EXPECT_EQ(what.find("c2VjcmV0"), std::string::npos) << what;
  }
}

TEST(GcsDocuments, ConsoleUrlQuotesAsPython) {
  EXPECT_EQ(quote("a b/c'd é~_.-"), "a%20b%2Fc'd%20%C3%A9~_.-");
  EXPECT_EQ(console_url("bkt", "dir/file name.txt", "proj-1"),
            "https://console.cloud.google.com/storage/browser/_details/bkt/"
            "dir%2Ffile%20name.txt;tab=live_object?project=proj-1");
}

// One item of an objects.list answer as fake-gcs-server gives it.
constexpr const char* kRecordedObject = R"({
  "kind": "storage#object", "name": "docs/a b.txt", "id": "conn-bucket/docs/a b.txt/1715337600123456",
  "bucket": "conn-bucket", "size": "11", "contentType": "text/plain", "crc32c": "yZRlqg==",
  "md5Hash": "XrY7u+Ae7tCTyyK7j1rNww==", "etag": "\"XrY7u+Ae7tCTyyK7j1rNww==\"",
  "timeCreated": "2024-05-10T12:00:00.123456Z", "updated": "2024-05-10T12:00:00.123456Z",
  "generation": "1715337600123456", "metageneration": "1", "storageClass": "STANDARD",
  "metadata": {"owner": "alice"}, "selfLink": "http://127.0.0.1:4443/storage/v1/b/conn-bucket/o/docs%2Fa%20b.txt"
})";

TEST(GcsDocuments, FieldsAsTheFrameworksBlobAdapter) {
  json object = json::parse(kRecordedObject);
  EXPECT_EQ(blob_id(object), "conn-bucket/docs/a b.txt/1715337600123456");
  EXPECT_EQ(blob_fields(object, "proj-1"),
            json({{"component_count", nullptr},
                  {"content_encoding", nullptr},
                  {"content_language", nullptr},
                  {"created_at", "2024-05-10T12:00:00.123456Z"},
                  {"last_updated", "2024-05-10T12:00:00.123456Z"},
                  {"metadata", {{"owner", "alice"}}},
                  {"name", "docs/a b.txt"},
                  {"size", "11"},
                  {"storage_class", "STANDARD"},
                  {"type", "text/plain"},
                  {"url",
                   "https://console.cloud.google.com/storage/browser/_details/conn-bucket/"
                   "docs%2Fa%20b.txt;tab=live_object?project=proj-1"},
                  {"version", "1715337600123456"},
                  {"bucket_name", "conn-bucket"}}));
  json bare = {{"bucket", "b"}, {"name", "n"}, {"generation", "7"}};
  EXPECT_EQ(blob_id(bare), "b/n/7");
}

TEST(GcsSchema, FieldsAsTheFrameworksDescriptor) {
  Schema schema = google_cloud_storage_descriptor().schema();
  ASSERT_EQ(schema.size(), 4U);
  EXPECT_EQ(schema[0].key, "buckets");
  EXPECT_EQ(schema[0].label, "Google Cloud Storage buckets");
  EXPECT_EQ(schema[0].type, FieldType::kList);
  EXPECT_EQ(schema[0].order, 1);
  EXPECT_EQ(schema[1].key, "service_account_credentials");
  EXPECT_EQ(schema[1].label, "Google Cloud service account JSON");
  EXPECT_TRUE(schema[1].sensitive);
  EXPECT_EQ(schema[1].display, Display::kTextarea);
  EXPECT_EQ(schema[1].order, 2);
  EXPECT_EQ(schema[2].key, "use_text_extraction_service");
  EXPECT_EQ(schema[2].value, false);
  EXPECT_EQ(schema[2].order, 3);
  EXPECT_EQ(schema[3].key, "retry_count");
  EXPECT_EQ(schema[3].value, 3);
}

TEST(GcsSchema, BadConfigurationNamesTheField) {
  auto descriptor = google_cloud_storage_descriptor();
  auto build = [&](const json& values) {
    return descriptor.create(Configuration(descriptor.schema(), values));
  };
  auto [private_pem, public_pem] = make_key_pair();
  std::string credentials = key_json(private_pem).dump();
  // An old (8.8) connector: no buckets field → every bucket; retry_count kept.
  EXPECT_NE(build({{"service_account_credentials", credentials}, {"retry_count", 2}}), nullptr);
  try {
    build({{"service_account_credentials", "nope"}});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "service_account_credentials");
  }
  try {
    build({{"service_account_credentials", credentials}, {"retry_count", -1}});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "retry_count");
  }
  try {
    build({{"service_account_credentials", ""}});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "service_account_credentials");
  }
}

}  // namespace
}  // namespace connectors::sources::gcs
