// The Blob service of one storage account, as the source uses it: every
// request signed with Shared Key, retried with backoff, listings paged with
// `marker`, downloads streamed. Errors are SourceError naming the account and
// the container or blob, never the key. Thread-safe (the source lists on one
// thread while downloads run on others).
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>

#include "core/secret.h"
#include "http/client.h"
#include "sources/azure_blob_storage/blob_listing.h"

namespace connectors::sources::azure {

struct ServiceSettings {
  std::string account_name;
  Secret account_key;         // base64, as the portal shows it
  std::string blob_endpoint;  // http(s)://host[:port][/account] (path-style for Azurite)
  int retry_count = 3;
  // Wait before retry n: retry_base * 2^(n-1) (2, 4, 8 s), jittered. The
  // framework's SDK waits about 15, 18, 24 s: long for a sync.
  std::chrono::milliseconds retry_base{2000};
  // maxresults of a listing page (0 = the service's 5000). A page of 5000 blobs is
  // ~6 MB of XML, parsed whole (libxml2's tree is several times that): 1000 keeps a
  // sync's memory down at the cost of a request per 1000 blobs.
  int page_size = 1000;
};

class BlobService {
 public:
  // Throws ConfigError naming account_key (not base64) or blob_endpoint (no http(s) URL).
  explicit BlobService(ServiceSettings settings);

  // Adds x-ms-date, x-ms-version and the Shared Key Authorization to `request`
  // (its path relative to the endpoint).
  http::Request signed_request(http::Request request) const;

  // Get Account Information: fails when the endpoint cannot be reached or the key is refused.
  void ping(std::stop_token stop);
  // Every container of the account, with its metadata, page by page.
  void list_containers(const std::function<void(const ContainerItem&)>& each, std::stop_token stop);
  // Every blob of `container` (flat), with its metadata, page by page.
  void list_blobs(const std::string& container, const std::function<void(const BlobItem&)>& each,
                  std::stop_token stop);
  // Streams the blob into `sink`; over_limit once more than max_bytes come.
  http::DownloadResult download(const std::string& container, const std::string& blob,
                                const http::Sink& sink, uint64_t max_bytes, std::stop_token stop);

  // Sends a signed request (the tests' seeding: PUT containers and blobs).
  http::Response send(http::Request request, std::stop_token stop = {});

  const std::string& account() const { return settings_.account_name; }
  const std::string& endpoint() const { return settings_.blob_endpoint; }

 private:
  // A SourceError for `failure` while doing `what` ("list the blobs of container 'x'").
  [[noreturn]] void fail(const std::string& what, const http::HttpError& failure) const;
  void list(const std::string& path, http::QueryParams query,
            const std::function<std::string(const std::string& body)>& read_page,
            const std::string& what, std::stop_token stop);

  ServiceSettings settings_;
  Secret key_;               // decoded account key
  std::string path_prefix_;  // the endpoint's path ("/devstoreaccount1" or "")
  http::Client client_;
};

// "/" + the blob's name percent-encoded, '/' kept (as the SDK quotes it).
std::string blob_path(const std::string& container, const std::string& blob);

}  // namespace connectors::sources::azure
