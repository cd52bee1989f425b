#include "sync/content_extract.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <mutex>

#include "core/errors.h"
#include "extraction/file_types.h"
#include "http/client.h"
#include "sources/common/python_text.h"

namespace connectors::sync {
namespace {

using nlohmann::json;

// A field of the connector's configuration, as a value: {key: value} or
// {key: {value: ...}} (the connector document's own shape).
json field_value(const json& configuration, const char* key) {
  if (!configuration.is_object()) return nullptr;
  auto field = configuration.find(key);
  if (field == configuration.end()) return nullptr;
  return field->is_object() ? field->value("value", json(nullptr)) : *field;
}

bool truthy(const json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    return text == "true" || text == "True" || text == "1";
  }
  return false;
}

}  // namespace

std::string local_text(sources::Document& doc, const std::filesystem::path& file,
                       const ContentOptions& options, std::stop_token stop) {
  auto pool = options.pool ? options.pool : shared_extractor_pool();
  auto extracted = pool->extract(file, doc.content.extension, stop);
  if (stop.stop_requested()) throw Cancelled();
  if (!extracted.ok) return extracted.reason;
  doc.fields["body"] = std::move(extracted.text);
  return "";
}

namespace {

// The file a use_file_pointers service reads, in the shared volume; removed
// with this object.
class SharedFile {
 public:
  SharedFile(const std::string& dir, const std::string& extension, const SpooledContent& content) {
    std::string name = (std::filesystem::path(dir) / "connectors-XXXXXX").string() + extension;
    int fd = ::mkstemps(name.data(), static_cast<int>(extension.size()));
    if (fd < 0) throw Error("cannot create a file in extraction_service.shared_volume_dir " + dir);
    ::close(fd);
    path_ = name;
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << content.read_all();
    if (!out) throw Error("cannot write " + path_.string());
  }
  ~SharedFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  SharedFile(const SharedFile&) = delete;
  SharedFile& operator=(const SharedFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The framework's ContentExtraction.extract_text: PUT {host}/extract_text/,
// its `extracted_text`, or the reason in the framework's words.
std::string service_text(sources::Document& doc, SpooledContent& content,
                         const ContentOptions& options, std::stop_token stop) {
  const auto& service = options.service;
  const std::string& filename = doc.content.name;
  http::Request request("PUT", "/extract_text/");
  request.headers["accept"] = "application/json";
  std::optional<SharedFile> shared;
  if (service.use_file_pointers) {
    shared.emplace(service.shared_volume_dir, doc.content.extension, content);
    request.query.push_back({"local_file_path", shared->path().string()});
  } else {
    request.headers["content-type"] = "application/octet-stream";
    request.body = content.read_all();
  }
  // Every status is read here: the service's own error is in its body.
  for (int status = 300; status < 600; ++status) request.accept.push_back(status);
  http::Response response;
  try {
    response = options.service_client->send(request, stop);
  } catch (const Cancelled&) {
    throw;
  } catch (const http::HttpError& e) {
    std::string what = e.what();
    if (e.curl_code() == CURLE_OPERATION_TIMEDOUT) {
      return fmt::format("Text extraction request to {} timed out for {}: {}", service.host,
                         filename, what);
    }
    return fmt::format("Connection to {} failed while extracting data from {}. Error: {}",
                       service.host, filename, what);
  }
  json reply = json::parse(response.body, nullptr, false);
  if (response.status != 200 || !reply.is_object() || reply.contains("error")) {
    auto text = [&](const char* key, const char* otherwise) {
      return reply.is_object() && reply.contains(key) && reply[key].is_string()
                 ? reply[key].get<std::string>()
                 : std::string(otherwise);
    };
    return fmt::format("Extraction service could not parse `{}'. Status: [{}]; {}: {}", filename,
                       response.status, text("error", "unexpected error"),
                       text("message", "unknown cause"));
  }
  spdlog::debug("Text extraction is successful for '{}'.", filename);
  auto extracted = reply.find("extracted_text");
  doc.fields["body"] =
      extracted != reply.end() && extracted->is_string() ? extracted->get<std::string>() : "";
  return "";
}

}  // namespace

const char* mode_name(ContentMode mode) {
  switch (mode) {
    case ContentMode::kLocal:
      return "local";
    case ContentMode::kAttachment:
      return "attachment";
    case ContentMode::kService:
      return "service";
  }
  return "?";
}

ContentMode content_mode_of(const json& connector_configuration,
                            const config::ExtractionServiceConfig& service) {
  json use_service = field_value(connector_configuration, "use_text_extraction_service");
  if (use_service.is_null()) return ContentMode::kLocal;
  if (!truthy(use_service)) return ContentMode::kAttachment;
  return service.host.empty() ? ContentMode::kLocal : ContentMode::kService;
}

ContentOptions content_options(const config::Config& config, const json& connector_configuration) {
  ContentOptions options;
  options.mode = content_mode_of(connector_configuration, config.extraction_service);
  if (options.mode == ContentMode::kLocal) {
    extraction::isolation::PoolOptions pool;
    pool.workers = config.service.extraction_workers;
    pool.memory_limit_bytes = static_cast<long long>(config.service.extraction_memory_limit_mib)
                              << 20;
    pool.timeout = std::chrono::seconds(config.service.extraction_timeout_s);
    options.pool = shared_extractor_pool(pool);
  } else if (options.mode == ContentMode::kService) {
    options.service = config.extraction_service;
    http::ClientOptions client;
    client.base_url = config.extraction_service.host;
    client.total_timeout = std::chrono::seconds(config.extraction_service.timeout_s);
    client.retry.retry_count = 0;  // as the framework: one request per file
    options.service_client = std::make_shared<http::Client>(std::move(client));
  }
  return options;
}

std::shared_ptr<extraction::isolation::ExtractorPool> shared_extractor_pool(
    const extraction::isolation::PoolOptions& options) {
  static std::mutex mutex;
  static std::shared_ptr<extraction::isolation::ExtractorPool> pool;
  std::lock_guard lock(mutex);
  if (!pool) pool = std::make_shared<extraction::isolation::ExtractorPool>(options);
  return pool;
}

bool wants_content(const sources::ContentRef& ref) {
  if (ref.extension.empty()) {
    spdlog::debug("Files without extension are not supported, skipping {}.", ref.name);
    return false;
  }
  if (!extraction::is_supported_extension(ref.extension)) {
    spdlog::debug("Files with the extension {} are not supported, skipping {}.", ref.extension,
                  ref.name);
    return false;
  }
  return true;
}

std::string add_content(sources::Document& doc, SpooledContent& content,
                        const ContentOptions& options, std::stop_token stop) {
  switch (options.mode) {
    case ContentMode::kAttachment:
      // Exactly the file's bytes, as the framework's `base64 -w 0` of its temporary file.
      doc.fields["_attachment"] = sources::common::base64(
          content.in_memory() ? std::string(content.buffer()) : content.read_all());
      return "";
    case ContentMode::kService:
      return service_text(doc, content, options, stop);
    case ContentMode::kLocal:
      break;
  }
  return local_text(doc, content.to_file(), options, stop);
}

}  // namespace connectors::sync
