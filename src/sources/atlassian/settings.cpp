#include "sources/atlassian/settings.h"

#include <fmt/format.h>

#include "core/errors.h"
#include "sources/common/connection_support.h"

namespace connectors::sources::atlassian {
namespace {

Field depends(Field f, const std::string& field, const json& value) {
  f.depends_on = {{field, value}};
  return f;
}

Field advanced_number(std::string key, std::string label, int order, json value) {
  Field f = make_field(std::move(key), std::move(label), order);
  f.type = value.is_number_float() ? FieldType::kFloat : FieldType::kInt;
  f.display = Display::kNumeric;
  f.value = value;
  f.default_value = value;
  f.required = false;
  f.ui_restrictions = {"advanced"};
  return f;
}

}  // namespace

Schema schema(const Product& p) {
  const std::string cloud = p.service + "_cloud";
  const std::string server = p.service + "_server";
  Field data_source = make_field("data_source", p.name + " data source", 1);
  data_source.display = Display::kDropdown;
  data_source.options = {{{"label", p.name + " Cloud"}, {"value", cloud}},
                         {{"label", p.name + " Server"}, {"value", server}}};
  data_source.value = p.cloud_default ? cloud : server;
  Field username =
      depends(make_field("username", p.name + " Server username", 2), "data_source", server);
  Field password =
      depends(make_field("password", p.name + " Server password", 3), "data_source", server);
  password.sensitive = true;
  Field email = depends(make_field("account_email", p.cloud_email_label, 4), "data_source", cloud);
  Field token =
      depends(make_field("api_token", p.name + " Cloud API token", 5), "data_source", cloud);
  token.sensitive = true;
  Field url = make_field(p.url_key, p.url_label, 6);
  Field keys = make_field(p.keys_key, p.keys_label, 7);
  keys.type = FieldType::kList;
  keys.display = Display::kTextarea;
  keys.value = "*";
  Field ssl_enabled = make_toggle("ssl_enabled", "Enable SSL", 8);
  Field ssl_ca = depends(make_field("ssl_ca", "SSL certificate", 9), "ssl_enabled", true);
  Field retries = advanced_number("retry_count", p.retry_label, 10, 3);
  Field downloads =
      advanced_number("concurrent_downloads", "Maximum concurrent downloads", 11, p.max_downloads);
  downloads.validations = {{"less_than", p.max_downloads + 1}};
  Field dls = make_toggle("use_document_level_security", "Enable document level security", 12);
  dls.required = false;
  dls.default_value = false;
  dls.tooltip =
      "Document level security ensures identities and permissions set in " + p.name +
      " are maintained in Elasticsearch. Only restricts search results with an access-control "
      "sync run as well.";
  Field rate = advanced_number("requests_per_second", "Maximum requests per second", 13, 10.0);
  rate.tooltip = "Atlassian rate-limits its REST APIs; 0 sends as fast as the answers come.";
  rate.validations = {{"greater_than", -1}};
  // Read by the engine: the extraction mode of attachments (the successor's field).
  Field extraction = make_toggle("use_text_extraction_service", "Use text extraction service", 14);
  extraction.required = false;
  extraction.default_value = false;
  extraction.tooltip =
      "Requires a separate deployment of the Elastic Text Extraction Service. Requires that "
      "pipeline settings disable text extraction.";
  extraction.ui_restrictions = {"advanced"};
  return {data_source, username, password, email,     token, url,  keys,
          ssl_enabled, ssl_ca,   retries,  downloads, dls,   rate, extraction};
}

Settings settings(const Product& p, const Configuration& c) {
  Settings s;
  s.product = p.service;
  std::string source = c.str("data_source");
  if (source == p.service + "_cloud") {
    s.cloud = true;
  } else if (source != p.service + "_server") {
    throw ConfigError("data_source", fmt::format("'{} data source' (data_source) must be {}_cloud "
                                                 "or {}_server, not '{}'",
                                                 p.name, p.service, p.service, source));
  }
  s.user_key = s.cloud ? "account_email" : "username";
  s.secret_key = s.cloud ? "api_token" : "password";
  s.user = c.str(s.user_key);
  s.secret = c.secret(s.secret_key);
  s.url = c.str(p.url_key);
  while (s.url.ends_with('/')) s.url.pop_back();
  if (!s.url.starts_with("http://") && !s.url.starts_with("https://")) {
    throw ConfigError(p.url_key, fmt::format("'{}' ({}) must start with http:// or https://, not "
                                             "'{}'",
                                             p.url_label, p.url_key, s.url));
  }
  for (auto& key : c.list(p.keys_key)) {
    if (key == "*") {
      s.keys.clear();
      break;
    }
    if (!key.empty()) s.keys.push_back(std::move(key));
  }
  s.ssl_enabled = c.boolean("ssl_enabled");
  if (s.ssl_enabled) s.ssl_ca = common::pem_format(c.str("ssl_ca"));
  long long retries = c.integer("retry_count");
  if (retries < 0 || retries > 100) {
    throw ConfigError("retry_count", fmt::format("'{}' (retry_count) must be between 0 and 100, "
                                                 "not {}",
                                                 p.retry_label, retries));
  }
  s.retry_count = static_cast<int>(retries);
  s.requests_per_second = c.number("requests_per_second");
  if (s.requests_per_second < 0) {
    throw ConfigError("requests_per_second",
                      "'Maximum requests per second' (requests_per_second) must not be negative");
  }
  s.use_document_level_security = c.boolean("use_document_level_security");
  return s;
}

}  // namespace connectors::sources::atlassian
