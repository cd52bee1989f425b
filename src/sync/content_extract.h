// What the engine makes of a document's fetched content, in the connector's
// mode (the framework's `use_text_extraction_service`): its text in `body`,
// extracted by worker processes of this machine (extraction/isolation) or by
// an external extraction service (config.yml `extraction_service.*`), or its
// bytes as base64 in `_attachment` for the ingest pipeline's attachment
// processor. The gates come first: one of the framework's 31 extensions
// (any case), within max_file_download_size (content_fetch.h).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>

#include "config/config.h"
#include "extraction/isolation/pool.h"
#include "sources/source.h"
#include "sync/spooled_content.h"

namespace connectors::http {
class Client;
}

namespace connectors::sync {

enum class ContentMode {
  kLocal,       // text by our extractor workers into `body`
  kAttachment,  // base64 of the bytes into `_attachment` (the framework's default)
  kService,     // text by the extraction service (PUT {host}/extract_text/) into `body`
};

const char* mode_name(ContentMode mode);  // "local", "attachment", "service"

struct ContentOptions {
  ContentMode mode = ContentMode::kLocal;
  // kLocal: the workers; null = shared_extractor_pool() as it is.
  std::shared_ptr<extraction::isolation::ExtractorPool> pool;
  // kService: config.yml's extraction_service and a client for its host.
  config::ExtractionServiceConfig service;
  std::shared_ptr<http::Client> service_client;
};

// The mode of a connector, as the framework decides it: its
// `use_text_extraction_service` field true → the service when
// extraction_service.host is set, else local; false → `_attachment`. A source
// without that field (the dir source, ours) extracts locally.
ContentMode content_mode_of(const nlohmann::json& connector_configuration,
                            const config::ExtractionServiceConfig& service);

// The options of one sync: the mode, the process's workers, the service client.
ContentOptions content_options(const config::Config& config,
                               const nlohmann::json& connector_configuration);

// The process's extractor workers, started on first use with `options`; later
// calls return the same pool (the service's syncs share it).
std::shared_ptr<extraction::isolation::ExtractorPool> shared_extractor_pool(
    const extraction::isolation::PoolOptions& options = {});

// The extension gate: true if `ref` is of one of the framework's types; else
// a debug line with the framework's words, and its content is not read.
bool wants_content(const sources::ContentRef& ref);

// Local mode: the text of `file` (the fetched copy, or the source's own local
// file) into `doc`'s body. Returns "" when done, else why there is no text.
std::string local_text(sources::Document& doc, const std::filesystem::path& file,
                       const ContentOptions& options, std::stop_token stop = {});

// Adds `content` to `doc` as the mode says. Returns "" when done, else why
// the document has no text (it keeps its metadata). Throws Cancelled on `stop`.
std::string add_content(sources::Document& doc, SpooledContent& content,
                        const ContentOptions& options, std::stop_token stop = {});

}  // namespace connectors::sync
