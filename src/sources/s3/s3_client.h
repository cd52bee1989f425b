// The S3 requests of the source over the shared HTTP client (SigV4 signing,
// retries, streaming downloads): ListBuckets, GetBucketLocation, ListObjectsV2
// with continuation tokens, GetObject. One http::Client per (endpoint, signing
// region), made on first use and shared by the listing and the download
// workers. Addressing: AWS buckets virtual-hosted
// (https://<bucket>.s3.<region>.amazonaws.com), path-style for dotted names
// (TLS wildcard certificates do not cover them) and for a custom endpoint
// (MinIO, Ceph RGW: <endpoint>/<bucket>/<key>). Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "http/client.h"
#include "sources/s3/aws_credentials.h"
#include "sources/s3/s3_xml.h"
#include "sources/source.h"

namespace connectors::sources::s3 {

struct S3ClientOptions {
  AwsCredentials credentials;
  std::string default_region = "us-east-1";
  std::string endpoint;  // "" = AWS; else scheme://host[:port] of an S3-compatible store
  std::chrono::milliseconds connect_timeout{90000};
  std::chrono::milliseconds read_timeout{90000};
  int max_attempts = 5;  // retries after the first request, as botocore counts them
  std::chrono::milliseconds retry_base{1000};
  int page_size = 100;
};

// Where a bucket's requests go: the base URL and the path of the bucket on it
// ("" when virtual-hosted).
struct BucketAddress {
  std::string base_url;
  std::string bucket_path;
};
BucketAddress bucket_address(const std::string& endpoint, const std::string& bucket,
                             const std::string& region);

class S3Client {
 public:
  explicit S3Client(S3ClientOptions options);

  // ListBuckets (the framework's ping, and `buckets: *`).
  std::vector<std::string> list_buckets(std::stop_token stop);

  // GetBucketLocation's region; the default region when the key may not ask
  // (403, as the framework warns and goes on), `warn` told so.
  std::string bucket_region(const std::string& bucket, const std::function<void(std::string)>& warn,
                            std::stop_token stop);

  // ListObjectsV2 of `bucket` under `prefix`, page by page to the end. Any
  // failure throws a SourceError naming the bucket (the listing is partial).
  void list_objects(const std::string& bucket, const std::string& region, const std::string& prefix,
                    const std::function<void(const S3Object&)>& each, std::stop_token stop);

  // A GetObject of `key` streaming into `sink` (thread-safe, for the download
  // workers). An archived object (InvalidObjectState) throws a SourceError
  // saying it must be restored, as the framework's warning.
  void get_object(const std::string& bucket, const std::string& region, const std::string& key,
                  ContentSink& sink, std::stop_token stop);

  const S3ClientOptions& options() const { return options_; }

 private:
  std::shared_ptr<http::Client> client(const std::string& base_url, const std::string& region);

  S3ClientOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<http::Client>> clients_;
};

}  // namespace connectors::sources::s3
