#include "sources/azure_blob_storage/shared_key.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <vector>

#include "core/text.h"
#include "sources/common/python_text.h"

namespace connectors::sources::azure {
namespace {

std::string lower_ascii(std::string_view text) { return common::lower(text); }

// The value of header `name` (any case), or "".
std::string header_value(const std::map<std::string, std::string>& headers,
                         std::string_view lower_name) {
  for (const auto& [name, value] : headers) {
    if (lower_ascii(name) == lower_name) return value;
  }
  return "";
}

}  // namespace

std::string canonicalized_resource(std::string_view account, std::string_view path,
                                   const http::QueryParams& query) {
  std::string out = "/" + std::string(account) + std::string(path);
  std::map<std::string, std::vector<std::string>> params;
  for (const auto& [name, value] : query) params[lower_ascii(name)].push_back(value);
  for (auto& [name, values] : params) {
    std::sort(values.begin(), values.end());
    out += "\n" + name + ":" + common::join(values, ",");
  }
  return out;
}

std::string canonicalized_headers(const std::map<std::string, std::string>& headers) {
  std::map<std::string, std::string> ms;
  for (const auto& [name, value] : headers) {
    std::string lower = lower_ascii(name);
    if (lower.starts_with("x-ms-")) ms[lower] = fold_spaces(value);
  }
  std::string out;
  for (const auto& [name, value] : ms) out += name + ":" + value + "\n";
  return out;
}

std::string string_to_sign(std::string_view method,
                           const std::map<std::string, std::string>& headers,
                           std::string_view account, std::string_view path,
                           const http::QueryParams& query) {
  static constexpr std::array<std::string_view, 11> kStandard = {"content-encoding",
                                                                 "content-language",
                                                                 "content-length",
                                                                 "content-md5",
                                                                 "content-type",
                                                                 "date",
                                                                 "if-modified-since",
                                                                 "if-match",
                                                                 "if-none-match",
                                                                 "if-unmodified-since",
                                                                 "range"};
  std::string out(method);
  out += "\n";
  for (std::string_view name : kStandard) {
    std::string value = header_value(headers, name);
    if (name == "content-length" && value == "0") value.clear();  // since version 2015-02-21
    out += value + "\n";
  }
  return out + canonicalized_headers(headers) + canonicalized_resource(account, path, query);
}

std::string authorization(std::string_view account, std::string_view key,
                          std::string_view string_to_sign) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size(), mac,
       &mac_length);
  return "SharedKey " + std::string(account) + ":" +
         common::base64(std::string_view(reinterpret_cast<const char*>(mac), mac_length));
}

std::optional<std::string> decode_account_key(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/';
    if (c == '=' && i + 2 >= text.size()) {
      ++padding;
    } else if (!alphabet || padding > 0) {
      return std::nullopt;
    }
  }
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);  // EVP_DecodeBlock counts the padding as zeros
  return out;
}

std::string rfc1123(std::time_t time) {
  std::tm tm{};
  gmtime_r(&time, &tm);
  // English names whatever the process's locale.
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace connectors::sources::azure
