#include "sources/google_cloud_storage/google_cloud_storage_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "core/errors.h"
#include "extraction/plain_text.h"
#include "http/client.h"
#include "sources/google_cloud_storage/gcs_documents.h"
#include "sources/google_cloud_storage/service_account.h"

namespace connectors::sources {
namespace {

using gcs::ServiceAccountKey;
using gcs::TokenSource;

constexpr const char* kDefaultApiRoot = "https://storage.googleapis.com";
constexpr long long kMaxFileSize = 10485760;  // the framework's DEFAULT_FILE_SIZE_LIMIT
constexpr const char* kPageSize = "1000";     // the JSON API's default and maximum

struct GcsSettings {
  std::vector<std::string> buckets;  // empty: every bucket of the project
  ServiceAccountKey key;
  int retry_count = 3;
  std::string api_root;  // STORAGE_EMULATOR_HOST, else Google's
  bool emulator = false;
};

// The JSON API with a service account's token; shared by the listing thread
// and the download workers (Client and TokenSource are thread-safe).
class GcsApi {
 public:
  explicit GcsApi(const GcsSettings& s)
      : project_(s.key.project_id),
        client_(client_options(s)),
        tokens_(client_, s.key, std::string(gcs::kReadOnlyScope)) {}

  const std::string& project() const { return project_; }
  const ServiceAccountKey& key() const { return tokens_.key(); }

  // Sends `request` with the token; a 401 (token revoked or expired early)
  // gets one new token and one more try.
  http::Response send(http::Request request, std::stop_token stop) {
    request.authorization = tokens_.authorization(stop);
    request.accept.push_back(401);
    http::Response response = client_.send(request, stop);
    if (response.status != 401) return response;
    tokens_.invalidate();
    request.authorization = tokens_.authorization(stop);
    request.accept.pop_back();
    return client_.send(request, stop);
  }

  nlohmann::json send_json(const http::Request& request, std::stop_token stop) {
    http::Response response = send(request, stop);
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_discarded()) {
      throw SourceError(fmt::format("google_cloud_storage: {} answered with no JSON",
                                    http::display_url(client_.url_of(request))));
    }
    return body;
  }

  http::DownloadResult download(http::Request request, const http::Sink& sink, uint64_t max_bytes,
                                std::stop_token stop) {
    request.authorization = tokens_.authorization(stop);
    return client_.download(request, sink, max_bytes, stop);
  }

 private:
  static http::ClientOptions client_options(const GcsSettings& s) {
    http::ClientOptions options;
    options.base_url = s.api_root;
    options.retry.retry_count = s.retry_count;
    return options;
  }

  std::string project_;
  http::Client client_;
  TokenSource tokens_;
};

// Thrown from the download sink when the engine's sink wants no more bytes.
struct EnoughRead {};

class GcsSource final : public Source {
 public:
  explicit GcsSource(GcsSettings settings)
      : s_(std::move(settings)), api_(std::make_shared<GcsApi>(s_)) {}

  // projects.serviceAccount.get, as the framework's ping. An emulator
  // (STORAGE_EMULATOR_HOST) that lacks it is asked for one bucket instead.
  void ping(std::stop_token stop) override {
    http::Request request(
        "GET", "/storage/v1/projects/" + http::percent_encode(api_->project()) + "/serviceAccount",
        {{"userProject", api_->project()}});
    if (s_.emulator) request.accept.push_back(404);
    try {
      if (api_->send(request, stop).status != 404) return;
      api_->send(http::Request("GET", "/storage/v1/b",
                               {{"project", api_->project()}, {"maxResults", "1"}}),
                 stop);
    } catch (const http::HttpError& e) {
      throw SourceError(fmt::format(
          "google_cloud_storage: cannot reach Google Cloud Storage as service account {}: {}",
          api_->key().client_email, e.what()));
    }
  }

  void documents(DocumentSink& sink, std::stop_token stop) override {
    for (const auto& bucket : buckets(stop)) list_bucket(bucket, sink, stop);
  }

 private:
  // The buckets to sync: the configured ones, or with `*` every bucket of the project.
  std::vector<std::string> buckets(std::stop_token stop) {
    if (!s_.buckets.empty()) return s_.buckets;
    std::vector<std::string> names;
    page_through(
        http::Request("GET", "/storage/v1/b",
                      {{"project", api_->project()},
                       {"userProject", api_->project()},
                       {"maxResults", kPageSize}}),
        [&](const nlohmann::json& item) { names.push_back(item.value("name", "")); }, stop,
        fmt::format("the buckets of project {}", api_->project()));
    return names;
  }

  void list_bucket(const std::string& bucket, DocumentSink& sink, std::stop_token stop) {
    page_through(
        http::Request("GET", "/storage/v1/b/" + http::percent_encode(bucket) + "/o",
                      {{"userProject", api_->project()}, {"maxResults", kPageSize}}),
        [&](const nlohmann::json& item) { sink.emit(make_document(item)); }, stop,
        fmt::format("bucket '{}'", bucket));
  }

  // Follows nextPageToken to the last page. Each page is retried on its own
  // (the client's retry_count): a failure resumes at that page, never page 1.
  // A page that still fails ends the sync (no deletion of what was not seen).
  void page_through(http::Request request, const std::function<void(const nlohmann::json&)>& each,
                    std::stop_token stop, const std::string& what) {
    size_t base = request.query.size();
    for (int page = 1;; ++page) {
      nlohmann::json body;
      try {
        body = api_->send_json(request, stop);
      } catch (const http::HttpError& e) {
        throw SourceError(fmt::format("google_cloud_storage: cannot list {} (page {}): {}", what,
                                      page, e.what()));
      }
      if (auto items = body.find("items"); items != body.end() && items->is_array()) {
        for (const auto& item : *items) {
          if (stop.stop_requested()) throw Cancelled();
          each(item);
        }
      }
      auto token = body.find("nextPageToken");
      if (token == body.end() || !token->is_string() || token->get<std::string>().empty()) return;
      request.query.resize(base);
      request.query.emplace_back("pageToken", token->get<std::string>());
    }
  }

  Document make_document(const nlohmann::json& object) const {
    Document doc;
    doc.id = gcs::blob_id(object);
    doc.fields = gcs::blob_fields(object, api_->project());
    doc.timestamp = object.value("updated", "");
    std::string bucket = object.value("bucket", "");
    std::string name = object.value("name", "");
    long long size = -1;
    try {
      size = std::stoll(object.value("size", "-1"));
    } catch (const std::exception&) {
    }
    doc.content.name = fmt::format("gs://{}/{}", bucket, name);
    doc.content.extension = extraction::file_extension(name);
    doc.content.size = size;
    doc.content.max_size = kMaxFileSize;
    doc.content.fetch = [api = api_, bucket, name](ContentSink& sink, long long max_bytes,
                                                   std::stop_token stop) {
      download(*api, bucket, name, sink, max_bytes, stop);
    };
    return doc;
  }

  static void download(GcsApi& api, const std::string& bucket, const std::string& name,
                       ContentSink& sink, long long max_bytes, std::stop_token stop) {
    http::Request request(
        "GET", "/storage/v1/b/" + http::percent_encode(bucket) + "/o/" + http::percent_encode(name),
        {{"alt", "media"}, {"userProject", api.project()}});
    try {
      api.download(
          request,
          [&sink](std::string_view chunk) {
            if (!sink.write(chunk)) throw EnoughRead{};
          },
          static_cast<uint64_t>(std::max(0LL, max_bytes)), stop);
    } catch (const EnoughRead&) {
    } catch (const http::HttpError& e) {
      throw SourceError(fmt::format("google_cloud_storage: cannot download gs://{}/{}: {}", bucket,
                                    name, e.what()));
    }
  }

  GcsSettings s_;
  std::shared_ptr<GcsApi> api_;
};

Schema gcs_schema() {
  Field buckets = make_field("buckets", "Google Cloud Storage buckets", 1);
  buckets.type = FieldType::kList;
  buckets.display = Display::kTextarea;
  // "*" (every bucket) is what a connector written before the field existed gets.
  buckets.value = "*";
  Field credentials =
      make_field("service_account_credentials", "Google Cloud service account JSON", 2);
  credentials.display = Display::kTextarea;
  credentials.sensitive = true;
  Field extraction_service = extraction_service_toggle(3);
  extraction_service.required = false;
  // The seeds' field (8.7/8.8), dropped by later releases: kept so that the
  // connectors of that era keep their setting.
  Field retries = advanced_number("retry_count", "Maximum retries for failed requests", 4, 3);
  retries.validations = {{"greater_than", -1}};
  return {buckets, credentials, extraction_service, retries};
}

GcsSettings gcs_settings(const Configuration& c) {
  GcsSettings s;
  for (auto& bucket : c.list("buckets")) {
    if (bucket == "*") {
      s.buckets.clear();
      break;
    }
    s.buckets.push_back(std::move(bucket));
  }
  s.key = gcs::parse_service_account(c.secret("service_account_credentials").reveal());
  long long retries = c.integer("retry_count");
  if (retries < 0 || retries > 100) {
    throw ConfigError("retry_count",
                      "'Maximum retries for failed requests' (retry_count) must be "
                      "between 0 and 100, got " +
                          std::to_string(retries));
  }
  s.retry_count = static_cast<int>(retries);
  // The framework's emulator switch ("http://host:port"), for fake-gcs-server.
  const char* emulator = std::getenv("STORAGE_EMULATOR_HOST");
  s.emulator = emulator != nullptr && *emulator != '\0';
  s.api_root = s.emulator ? emulator : kDefaultApiRoot;
  while (s.api_root.ends_with('/')) s.api_root.pop_back();
  return s;
}

}  // namespace

SourceDescriptor google_cloud_storage_descriptor() {
  return {"google_cloud_storage", "Google Cloud Storage", gcs_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            return std::make_unique<GcsSource>(gcs_settings(c));
          }};
}

}  // namespace connectors::sources
