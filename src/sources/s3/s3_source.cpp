#include "sources/s3/s3_source.h"

#include <spdlog/spdlog.h>

#include "core/errors.h"
#include "core/hash.h"
#include "extraction/plain_text.h"
#include "sources/s3/aws_credentials.h"
#include "sources/s3/s3_client.h"
#include "sources/s3/s3_rules.h"

namespace connectors::sources {
namespace {

using s3::S3Client;
using s3::S3Object;
using s3::S3Rule;

constexpr long long kMaxContentBytes = 10485760;  // the framework's download limit

class S3Source final : public AdvancedRulesSource {
 public:
  S3Source(std::vector<std::string> buckets, s3::S3ClientOptions options)
      : buckets_(std::move(buckets)), client_(std::make_shared<S3Client>(std::move(options))) {}

  void ping(std::stop_token stop) override { client_->list_buckets(stop); }

  void set_advanced_rules(const json& value) override { rules_ = s3::parse_rules(value); }

  RulesValidation validate_advanced_rules(const json& value, std::stop_token) override {
    return s3::validate_rules(value);
  }

  void documents(DocumentSink& sink, std::stop_token stop) override {
    // The rules replace the buckets field, as in the framework.
    std::vector<S3Rule> plan = rules_;
    if (plan.empty()) {
      std::vector<std::string> buckets = buckets_;
      if (buckets == std::vector<std::string>{"*"}) buckets = client_->list_buckets(stop);
      for (auto& bucket : buckets) plan.push_back({std::move(bucket), "", {}});
    }
    for (const auto& rule : plan) sync_bucket(rule, sink, stop);
  }

 private:
  // A failure part-way throws: the engine then deletes nothing.
  void sync_bucket(const S3Rule& rule, DocumentSink& sink, std::stop_token stop) {
    std::string region = client_->bucket_region(
        rule.bucket, [&](std::string message) { sink.warn(std::move(message)); }, stop);
    long long count = 0;
    client_->list_objects(
        rule.bucket, region, rule.prefix,
        [&](const S3Object& object) {
          if (!s3::extension_selected(rule, object.key)) return;
          sink.emit(make_document(rule.bucket, region, object));
          ++count;
        },
        stop);
    spdlog::info("s3: {} objects listed in bucket '{}'{}", count, rule.bucket,
                 rule.prefix.empty() ? "" : " under '" + rule.prefix + "'");
  }

  Document make_document(const std::string& bucket, const std::string& region,
                         const S3Object& object) const {
    Document doc;
    doc.id = md5_hex(bucket + "/" + object.key);
    doc.timestamp = s3::python_timestamp(object.last_modified);
    doc.fields = {
        {"filename", object.key}, {"size_in_bytes", object.size},          {"bucket", bucket},
        {"owner", object.owner},  {"storage_class", object.storage_class},
    };
    doc.content.name = "s3://" + bucket + "/" + object.key;
    doc.content.extension = extraction::file_extension(object.key);
    doc.content.size = object.size;
    doc.content.max_size = kMaxContentBytes;
    doc.content.fetch = [client = client_, bucket, region, key = object.key](
                            ContentSink& content, long long, std::stop_token stop) {
      client->get_object(bucket, region, key, content, stop);
    };
    return doc;
  }

  std::vector<std::string> buckets_;
  std::vector<S3Rule> rules_;
  std::shared_ptr<S3Client> client_;  // shared with the download workers' fetches
};

Schema s3_schema() {
  Field buckets = make_field("buckets", "AWS Buckets", 1);
  buckets.type = FieldType::kList;
  buckets.display = Display::kTextarea;
  buckets.tooltip = "AWS Buckets are ignored when Advanced Sync Rules are used.";
  // Required in the framework's descriptor; optional here so that the AWS
  // credential chain (environment, ~/.aws files) stands in when they are empty.
  Field key_id = make_field("aws_access_key_id", "AWS Access Key Id", 2);
  key_id.required = false;
  Field secret = make_field("aws_secret_access_key", "AWS Secret Key", 3);
  secret.required = false;
  secret.sensitive = true;
  Field extraction_service = extraction_service_toggle(8);
  Field endpoint = make_field("endpoint_url", "Endpoint URL (S3-compatible stores)", 9);
  endpoint.required = false;
  endpoint.tooltip =
      "For MinIO, Ceph RGW and other S3-compatible stores: scheme://host[:port]. Empty: AWS, "
      "or the AWS_ENDPOINT_URL environment variable.";
  endpoint.ui_restrictions = {"advanced"};
  return {buckets,
          key_id,
          secret,
          advanced_number("read_timeout", "Read timeout", 4, 90),
          advanced_number("connect_timeout", "Connection timeout", 5, 90),
          advanced_number("max_attempts", "Maximum retry attempts", 6, 5),
          advanced_number("page_size", "Maximum size of page", 7, 100),
          extraction_service,
          endpoint};
}

long long positive(const Configuration& c, const std::string& key, long long low, long long high) {
  long long value = c.integer(key);
  if (value < low || value > high) {
    throw ConfigError(key, "'" + key + "' must be between " + std::to_string(low) + " and " +
                               std::to_string(high) + ", not " + std::to_string(value));
  }
  return value;
}

std::unique_ptr<Source> make_s3_source(const Configuration& c, const s3::AwsEnvironment& env) {
  std::vector<std::string> buckets = c.list("buckets");
  if (buckets.empty()) throw ConfigError("buckets", "'AWS Buckets' (buckets) cannot be empty");
  s3::S3ClientOptions o;
  o.read_timeout = std::chrono::seconds(positive(c, "read_timeout", 1, 86400));
  o.connect_timeout = std::chrono::seconds(positive(c, "connect_timeout", 1, 86400));
  o.max_attempts = static_cast<int>(positive(c, "max_attempts", 0, 100));
  o.page_size = static_cast<int>(positive(c, "page_size", 1, 1000));
  o.default_region = s3::default_region(env);
  o.endpoint = s3::endpoint_of(c.str("endpoint_url"), env);
  std::string key_id = c.str("aws_access_key_id");
  Secret secret = c.secret("aws_secret_access_key");
  if (!key_id.empty() && !secret.empty()) {
    o.credentials = {key_id, secret, Secret(), "configuration"};
  } else if (!key_id.empty() || !secret.empty()) {
    throw ConfigError(key_id.empty() ? "aws_access_key_id" : "aws_secret_access_key",
                      "'AWS Access Key Id' (aws_access_key_id) and 'AWS Secret Key' "
                      "(aws_secret_access_key) go together: set both, or neither to use the AWS "
                      "credential chain");
  } else {
    std::vector<std::string> looked;
    auto found = s3::credentials_from_chain(env, &looked);
    if (!found) {
      std::string where;
      for (const auto& place : looked) where += (where.empty() ? "" : ", ") + place;
      throw ConfigError("aws_access_key_id",
                        "no AWS credentials: 'AWS Access Key Id' (aws_access_key_id) is empty and "
                        "none were found in " +
                            where);
    }
    o.credentials = std::move(*found);
  }
  spdlog::debug("s3: credentials of access key id {} from {}", o.credentials.access_key_id,
                o.credentials.origin);
  return std::make_unique<S3Source>(std::move(buckets), std::move(o));
}

}  // namespace

namespace s3 {
std::unique_ptr<Source> make_source(const Configuration& c, const AwsEnvironment& env) {
  return make_s3_source(c, env);
}
}  // namespace s3

SourceDescriptor s3_descriptor() {
  return {"s3", "Amazon S3", s3_schema,
          [](const Configuration& c) { return make_s3_source(c, s3::AwsEnvironment::process()); },
          Capabilities{.advanced_rules = true}};
}

}  // namespace connectors::sources
