#include "http/url.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace connectors::http {
namespace {

// Query parameters whose value is a credential, lower-cased: Azure SAS, AWS and
// GCS presigned URLs, OAuth2, and the usual API-key names.
constexpr std::array<std::string_view, 14> kSecretParams = {"sig",
                                                            "signature",
                                                            "x-amz-signature",
                                                            "x-amz-security-token",
                                                            "x-goog-signature",
                                                            "access_token",
                                                            "refresh_token",
                                                            "id_token",
                                                            "token",
                                                            "client_secret",
                                                            "password",
                                                            "api_key",
                                                            "apikey",
                                                            "key"};

bool is_secret_param(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kSecretParams.begin(), kSecretParams.end(), lower) != kSecretParams.end();
}

}  // namespace

std::string percent_encode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string query_string(QueryParams params, bool sorted) {
  if (sorted) std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += percent_encode(name) + "=" + percent_encode(value);
  }
  return out;
}

std::string url_without_credentials(std::string_view url) {
  size_t scheme = url.find("://");
  size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t authority_end = url.find_first_of("/?#", authority);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  size_t at = url.substr(authority, authority_end - authority).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority)) + std::string(url.substr(authority + at + 1));
}

std::string display_url(std::string_view url) {
  std::string out = url_without_credentials(url);
  size_t question = out.find('?');
  if (question == std::string::npos) return out;
  size_t fragment = out.find('#', question);
  std::string_view query = std::string_view(out).substr(
      question + 1, (fragment == std::string::npos ? out.size() : fragment) - question - 1);
  std::string shown = out.substr(0, question + 1);
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = std::min(query.find('&', start), query.size());
    std::string_view pair = query.substr(start, end - start);
    size_t eq = pair.find('=');
    if (start > 0) shown.push_back('&');
    if (eq != std::string_view::npos && is_secret_param(pair.substr(0, eq))) {
      shown.append(pair.substr(0, eq + 1)).append("***");
    } else {
      shown.append(pair);
    }
    start = end + 1;
  }
  if (fragment != std::string::npos) shown += out.substr(fragment);
  return shown;
}

}  // namespace connectors::http
