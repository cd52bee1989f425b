// A Google service account's JSON key and the OAuth 2.0 access tokens it gets
// (RFC 7523 JWT bearer grant, as Google's "Using OAuth 2.0 for Server to
// Server Applications" describes): an RS256 JWT signed with the key, exchanged
// at the key's token_uri, the token cached until shortly before it expires.
#pragma once

#include <chrono>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/secret.h"
#include "http/client.h"

namespace connectors::sources::gcs {

// Only the keys the framework passes on (REQUIRED_CREDENTIAL_KEYS); others,
// such as universe_domain, are ignored.
struct ServiceAccountKey {
  std::string type;
  std::string project_id;
  std::string private_key_id;
  Secret private_key;  // PEM (PKCS#8)
  std::string client_email;
  std::string client_id;
  std::string auth_uri;
  std::string token_uri;
};

// Parses the `service_account_credentials` value. Throws ConfigError (key
// service_account_credentials) "Google Cloud service account is not a valid
// JSON." when it is not a JSON object, or when client_email, private_key or
// token_uri is missing. A private_key pasted on one line gets its line breaks back.
ServiceAccountKey parse_service_account(std::string_view json_text);

// utils.get_pem_format(key, postfix="-----END PRIVATE KEY-----"): spaces become
// newlines except in the BEGIN and END lines. A key with newlines is unchanged.
std::string private_key_pem(std::string_view key);

// RFC 4648 §5 base64url without padding.
std::string base64url(std::string_view bytes);

// The signed JWT assertion: header {alg RS256, typ JWT, kid private_key_id},
// claims {iss client_email, scope, aud token_uri, iat now, exp now + 3600}.
// Throws SourceError naming client_email when the private key cannot be read.
std::string jwt_assertion(const ServiceAccountKey& key, std::string_view scope, long long now);

inline constexpr std::string_view kReadOnlyScope =
    "https://www.googleapis.com/auth/devstorage.read_only";

// Access tokens for one key, shared by the listing and the download threads.
class TokenSource {
 public:
  TokenSource(http::Client& client, ServiceAccountKey key, std::string scope);

  // "Bearer <token>": the cached one while it has more than a minute left,
  // else a new one. Throws SourceError naming client_email and token_uri (never
  // the key, the assertion or a token) when the token endpoint refuses.
  Secret authorization(std::stop_token stop);
  // Forgets the cached token (the API answered 401).
  void invalidate();

  const ServiceAccountKey& key() const { return key_; }

 private:
  http::Client& client_;
  ServiceAccountKey key_;
  std::string scope_;
  std::mutex mutex_;
  Secret token_;
  std::chrono::steady_clock::time_point expires_{};
};

}  // namespace connectors::sources::gcs
