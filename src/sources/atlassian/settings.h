// What Confluence and Jira share in their configuration: the deployment
// (Cloud: account email + API token; Server: username + password), the site
// URL, TLS, retries, the request rate, attachment downloads and the DLS toggle.
// The schema keeps the seeds' keys, labels and orders (sources.md §8, §9); the
// rate and the DLS toggle come after them.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/secret.h"
#include "sources/configuration.h"

namespace connectors::sources::atlassian {

// How one product spells its fields: "Confluence" / "confluence" / "confluence_url" / "spaces".
struct Product {
  std::string name;        // "Confluence", in labels and messages
  std::string service;     // "confluence", the data_source values' prefix and the messages' prefix
  std::string url_key;     // "confluence_url"
  std::string url_label;   // "Confluence URL"
  std::string keys_key;    // "spaces"
  std::string keys_label;  // "Confluence space keys"
  std::string cloud_email_label;  // "Confluence Cloud account email"
  std::string retry_label;        // "Retries per request"
  bool cloud_default = false;     // the seeds' default data source
  int max_downloads = 50;         // concurrent_downloads default and limit
};

struct Settings {
  std::string product;  // Product::service
  bool cloud = false;
  std::string url;       // without a trailing slash
  std::string user;      // account email (Cloud) or username (Server): not a secret, errors name it
  Secret secret;         // API token or password
  std::string user_key;  // the field holding `user`, for messages
  std::string secret_key;         // the field holding `secret`
  std::vector<std::string> keys;  // space or project keys; empty = every one (`*`)
  bool ssl_enabled = false;
  std::string ssl_ca;  // PEM; empty = the system store
  int retry_count = 3;
  std::chrono::milliseconds retry_base{2000};  // the seeds' 2, 4, 8 s; tests shorten it
  double requests_per_second = 10;             // 0 = no limit
  bool use_document_level_security = false;
};

Schema schema(const Product& product);

// Reads and checks the values (throws ConfigError naming the field).
Settings settings(const Product& product, const Configuration& c);

}  // namespace connectors::sources::atlassian
