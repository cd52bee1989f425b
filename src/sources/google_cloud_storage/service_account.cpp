#include "sources/google_cloud_storage/service_account.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "http/url.h"

namespace connectors::sources::gcs {
namespace {

constexpr std::string_view kKeyField = "service_account_credentials";
constexpr std::string_view kInvalidJson = "Google Cloud service account is not a valid JSON.";
constexpr std::string_view kPrivateKeyEnd = "-----END PRIVATE KEY-----";

std::string member(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  char text[256] = {0};
  if (code != 0) ERR_error_string_n(code, text, sizeof(text));
  ERR_clear_error();
  return text;
}

}  // namespace

std::string private_key_pem(std::string_view key) {
  if (key.find('\n') != std::string_view::npos) return std::string(key);  // as the framework
  auto start = key.find_first_not_of(" \t\r\n");
  auto end = key.find_last_not_of(" \t\r\n");
  std::string text(start == std::string_view::npos ? "" : key.substr(start, end - start + 1));
  for (auto& c : text) {
    if (c == ' ') c = '\n';
  }
  // " ".join(key.split("\n", 2)), then " ".join(key.rsplit("\n", 2)): the two
  // spaces of "-----BEGIN PRIVATE KEY-----" and of its END line come back.
  for (int i = 0, at = 0; i < 2; ++i) {
    auto next = text.find('\n', static_cast<size_t>(at));
    if (next == std::string::npos) break;
    text[next] = ' ';
    at = static_cast<int>(next) + 1;
  }
  auto at = text.size();
  for (int i = 0; i < 2 && at > 0; ++i) {
    auto next = text.rfind('\n', at - 1);
    if (next == std::string::npos) break;
    text[next] = ' ';
    at = next;
  }
  if (text.ends_with(kPrivateKeyEnd)) text += '\n';
  return text;
}

ServiceAccountKey parse_service_account(std::string_view json_text) {
  nlohmann::json object = nlohmann::json::parse(json_text, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    throw ConfigError(std::string(kKeyField), std::string(kInvalidJson));
  }
  ServiceAccountKey key;
  key.type = member(object, "type");
  key.project_id = member(object, "project_id");
  key.private_key_id = member(object, "private_key_id");
  key.private_key = Secret(private_key_pem(member(object, "private_key")));
  key.client_email = member(object, "client_email");
  key.client_id = member(object, "client_id");
  key.auth_uri = member(object, "auth_uri");
  key.token_uri = member(object, "token_uri");
  for (const char* required : {"client_email", "private_key", "token_uri", "project_id"}) {
    if (member(object, required).empty()) {
      throw ConfigError(std::string(kKeyField),
                        fmt::format("{} It has no '{}'.", kInvalidJson, required));
    }
  }
  return key;
}

std::string base64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (auto& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string jwt_assertion(const ServiceAccountKey& key, std::string_view scope, long long now) {
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", key.private_key_id}};
  nlohmann::json claims = {{"iss", key.client_email},
                           {"scope", scope},
                           {"aud", key.token_uri},
                           {"iat", now},
                           {"exp", now + 3600}};
  std::string input = base64url(header.dump()) + "." + base64url(claims.dump());

  const std::string& pem = key.private_key.reveal();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr, EVP_PKEY_free);
  if (!pkey) {
    ERR_clear_error();  // OpenSSL's text could quote the key's bytes: not shown
    throw SourceError(fmt::format(
        "google_cloud_storage: the private_key of service account {} is not a readable PEM "
        "private key",
        key.client_email));
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t length = 0;
  std::string signature;
  bool ok = ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) == 1 &&
            EVP_DigestSign(ctx.get(), nullptr, &length,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  if (ok) {
    signature.resize(length);
    ok = EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    signature.resize(length);
  }
  if (!ok) {
    throw SourceError(
        fmt::format("google_cloud_storage: cannot sign the JWT of service account {}: {}",
                    key.client_email, openssl_error()));
  }
  return input + "." + base64url(signature);
}

TokenSource::TokenSource(http::Client& client, ServiceAccountKey key, std::string scope)
    : client_(client), key_(std::move(key)), scope_(std::move(scope)) {}

Secret TokenSource::authorization(std::stop_token stop) {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (!token_.empty() && now < expires_) return token_;
  auto epoch = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  http::Request request("POST", key_.token_uri);
  request.headers["Content-Type"] = "application/x-www-form-urlencoded";
  request.body =
      "grant_type=" + http::percent_encode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
      "&assertion=" + jwt_assertion(key_, scope_, epoch);
  nlohmann::json answer;
  try {
    answer = client_.send_json(request, stop);
  } catch (const http::HttpError& e) {
    // Google's answer ({"error":"invalid_grant","error_description":...}) says
    // why; the request (with the assertion) is never shown.
    throw SourceError(fmt::format(
        "google_cloud_storage: the token endpoint {} refused service account {} (HTTP {}): {}",
        key_.token_uri, key_.client_email, e.status(),
        e.status() == 0 ? std::string(e.what()) : e.detail()));
  }
  if (!answer.is_object() || !answer.contains("access_token") ||
      !answer["access_token"].is_string()) {
    throw SourceError(fmt::format(
        "google_cloud_storage: the token endpoint {} gave service account {} no access_token",
        key_.token_uri, key_.client_email));
  }
  long long expires_in = 3600;
  if (answer.contains("expires_in") && answer["expires_in"].is_number()) {
    expires_in = answer["expires_in"].get<long long>();
  }
  token_ = Secret("Bearer " + answer["access_token"].get<std::string>());
  // Renewed a minute before Google's expiry, so no request goes out with a stale one.
  expires_ = now + std::chrono::seconds(std::max(0LL, expires_in - 60));
  return token_;
}

void TokenSource::invalidate() {
  std::lock_guard lock(mutex_);
  token_ = Secret();
}

}  // namespace connectors::sources::gcs
