#include "sources/s3/s3_client.h"

#include "core/errors.h"
#include "http/url.h"

namespace connectors::sources::s3 {
namespace {

// Thrown through the download when the engine's sink refuses more bytes.
struct SinkFull {};

std::string aws_base(const std::string& region) {
  return "https://s3." + region + ".amazonaws.com";
}

// "bucket 'b'": what failed, with S3's error code when the body has one.
std::string describe(const http::HttpError& e) {
  S3ErrorBody body = parse_error(e.detail());
  if (body.code.empty()) return e.what();
  return body.code + (body.message.empty() ? "" : " (" + body.message + ")") + ": " + e.what();
}

}  // namespace

BucketAddress bucket_address(const std::string& endpoint, const std::string& bucket,
                             const std::string& region) {
  std::string path = "/" + http::percent_encode(bucket);
  if (!endpoint.empty()) return {endpoint, path};
  if (bucket.find('.') != std::string::npos) return {aws_base(region), path};
  return {"https://" + bucket + ".s3." + region + ".amazonaws.com", ""};
}

S3Client::S3Client(S3ClientOptions options) : options_(std::move(options)) {}

std::shared_ptr<http::Client> S3Client::client(const std::string& base_url,
                                               const std::string& region) {
  std::lock_guard lock(mutex_);
  auto& slot = clients_[base_url + " " + region];
  if (!slot) {
    http::ClientOptions o;
    o.base_url = base_url;
    o.connect_timeout = options_.connect_timeout;
    o.read_timeout = options_.read_timeout;
    o.aws_sigv4 =
        http::AwsSigV4{region, "s3", options_.credentials.access_key_id,
                       options_.credentials.secret_access_key, options_.credentials.session_token};
    o.retry.retry_count = options_.max_attempts;
    o.retry.base = options_.retry_base;
    o.retry.cap = std::chrono::milliseconds(20000);
    o.retry.jitter = true;  // botocore's legacy mode: rand(0,1) * 2**(attempt-1)
    slot = std::make_shared<http::Client>(std::move(o));
  }
  return slot;
}

std::vector<std::string> S3Client::list_buckets(std::stop_token stop) {
  const std::string& region = options_.default_region;
  auto http = client(options_.endpoint.empty() ? aws_base(region) : options_.endpoint, region);
  try {
    return parse_bucket_names(http->send({"GET", "/"}, stop).body);
  } catch (const http::HttpError& e) {
    throw SourceError("s3: cannot list the buckets (ListBuckets): " + describe(e));
  }
}

std::string S3Client::bucket_region(const std::string& bucket,
                                    const std::function<void(std::string)>& warn,
                                    std::stop_token stop) {
  // AWS answers GetBucketLocation of any bucket on us-east-1, path-style.
  std::string region = options_.endpoint.empty() ? "us-east-1" : options_.default_region;
  auto http =
      client(options_.endpoint.empty() ? "https://s3.amazonaws.com" : options_.endpoint, region);
  http::Request request("GET", "/" + http::percent_encode(bucket), {{"location", ""}});
  request.accept = {403};
  try {
    http::Response response = http->send(request, stop);
    if (response.status == 403) {
      warn("s3: unable to fetch the region of bucket '" + bucket + "' (GetBucketLocation: " +
           parse_error(response.body).code + "); using " + options_.default_region);
      return options_.default_region;
    }
    std::string constraint = parse_location(response.body);
    // An S3-compatible store signs with its own region whatever the bucket says.
    return region_of_location(constraint);
  } catch (const http::HttpError& e) {
    throw SourceError("s3: cannot read the region of bucket '" + bucket + "': " + describe(e));
  }
}

void S3Client::list_objects(const std::string& bucket, const std::string& region,
                            const std::string& prefix,
                            const std::function<void(const S3Object&)>& each,
                            std::stop_token stop) {
  BucketAddress address = bucket_address(options_.endpoint, bucket, region);
  auto http = client(address.base_url, region);
  http::QueryParams first = {{"list-type", "2"},
                             {"max-keys", std::to_string(options_.page_size)},
                             {"fetch-owner", "true"}};
  if (!prefix.empty()) first.emplace_back("prefix", prefix);
  std::string path = address.bucket_path.empty() ? "/" : address.bucket_path;
  long long listed = 0;
  try {
    http->paginate(
        {"GET", path, first},
        [&](const http::Response& response) -> std::optional<http::Request> {
          ObjectPage page = parse_object_page(response.body);
          for (const auto& object : page.objects) {
            if (stop.stop_requested()) throw Cancelled();
            each(object);
            ++listed;
          }
          if (!page.truncated) return std::nullopt;
          http::QueryParams next = first;
          next.emplace_back("continuation-token", page.next_token);
          return http::Request("GET", path, next);
        },
        stop);
  } catch (const http::HttpError& e) {
    throw SourceError("s3: cannot list bucket '" + bucket + "' (after " + std::to_string(listed) +
                      " objects): " + describe(e));
  } catch (const SourceError& e) {
    throw SourceError("s3: cannot list bucket '" + bucket + "' (after " + std::to_string(listed) +
                      " objects): " + e.what());
  }
}

void S3Client::get_object(const std::string& bucket, const std::string& region,
                          const std::string& key, ContentSink& sink, std::stop_token stop) {
  BucketAddress address = bucket_address(options_.endpoint, bucket, region);
  auto http = client(address.base_url, region);
  http::Request request("GET", address.bucket_path + "/" + http::percent_encode(key, true));
  try {
    // The engine's sink holds the limit: it refuses the byte past it, which ends the transfer.
    http->download(
        request,
        [&](std::string_view chunk) {
          if (!sink.write(chunk)) throw SinkFull{};
        },
        UINT64_MAX, stop);
  } catch (const SinkFull&) {
    return;
  } catch (const http::HttpError& e) {
    if (parse_error(e.detail()).code == "InvalidObjectState") {
      throw SourceError("s3: object '" + key + "' of bucket '" + bucket +
                        "' is archived and inaccessible until restored");
    }
    throw SourceError("s3: cannot download object '" + key + "' of bucket '" + bucket +
                      "': " + describe(e));
  }
}

}  // namespace connectors::sources::s3
