// `connectors extract FILE…`: what would be indexed from each file, in one of
// the three modes, through the same code as a sync (sync/content_extract.h):
// the extension and size gates, then the extractor workers, the extraction
// service, or base64 into `_attachment`.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands/commands.h"
#include "extraction/file_types.h"
#include "extraction/plain_text.h"
#include "sync/content_fetch.h"

namespace connectors::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct ExtractArgs {
  std::vector<std::string> files;
  std::string mode = "local";
  bool json_lines = false;
};

// Collects what fetch_content says about the file instead of logging it.
class Reasons final : public sources::DocumentSink {
 public:
  void emit(sources::Document) override {}
  void warn(std::string message) override { reason = std::move(message); }
  std::string reason;
};

// The connector configuration that selects `mode`, as a connector would hold it.
json mode_field(const std::string& mode) {
  if (mode == "local") return json::object();
  return {{"use_text_extraction_service", {{"value", mode == "service"}}}};
}

sources::Document file_document(const fs::path& path) {
  sources::Document doc;
  std::string absolute = fs::absolute(path).lexically_normal().string();
  std::string extension = extraction::file_extension(path.filename().string());
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  doc.id = absolute;
  doc.fields = {{"title", path.filename().string()},
                {"path", absolute},
                {"extension", extension},
                {"size", ec ? -1LL : static_cast<long long>(size)}};
  doc.content.name = absolute;
  doc.content.extension = extension;
  doc.content.size = ec ? -1 : static_cast<long long>(size);
  doc.content.fetch = [path](sources::ContentSink& sink, long long max_bytes, std::stop_token) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SourceError("cannot read " + path.string());
    std::string chunk(64 << 10, '\0');
    for (long long total = 0; total <= max_bytes;) {
      in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      auto n = static_cast<size_t>(in.gcount());
      if (n == 0 || !sink.write(std::string_view(chunk.data(), n))) break;
      total += static_cast<long long>(n);
    }
  };
  return doc;
}

struct Outcome {
  json report;
  bool ok = false;
};

Outcome extract_one(const fs::path& path, const config::Config& config,
                    const sync::ContentOptions& options) {
  auto start = std::chrono::steady_clock::now();
  sources::Document doc = file_document(path);
  std::string extension = doc.content.extension;
  Reasons reasons;
  if (!fs::is_regular_file(path)) {
    reasons.reason = "not a readable file";
  } else if (extension.empty()) {
    reasons.reason = "Files without extension are not supported";
  } else if (!sync::wants_content(doc.content)) {
    reasons.reason = fmt::format("Files with the extension {} are not supported", extension);
  } else if (doc.content.size > config.service.max_file_download_size) {
    reasons.reason = fmt::format(
        "File size {} is larger than {} bytes (service.max_file_download_size). Discarding file "
        "content.",
        doc.content.size, config.service.max_file_download_size);
  } else {
    sync::SyncCounters counters;
    sync::fetch_content(doc, config.service.max_file_download_size, options, counters, reasons, {});
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  json report = {{"file", path.string()},
                 {"extension", extension},
                 {"type", std::string(extraction::format_of(extension))},
                 {"mode", sync::mode_name(options.mode)},
                 {"seconds", seconds}};
  // The reason fetch_content gives names the file first: the file is shown already.
  std::string reason = reasons.reason;
  if (auto at = reason.find(sync::kNoTextWarning); at != std::string::npos) {
    reason = reason.substr(at + sync::kNoTextWarning.size());
  }
  bool ok = reason.empty();
  if (!ok) report["reason"] = reason;
  if (options.mode == sync::ContentMode::kAttachment) {
    report["document"] = doc.fields;
  } else if (ok) {
    report["text"] = doc.fields.value("body", "");
  }
  return {report, ok};
}

void print_text(const json& r) {
  std::string type = r["type"].get<std::string>();
  std::cout << "== " << r["file"].get<std::string>() << "\n"
            << "type: "
            << (r["extension"].get<std::string>().empty() ? "(none)"
                                                          : r["extension"].get<std::string>())
            << (type.empty() ? " (not extracted)" : " (" + type + ")") << "\n"
            << fmt::format("mode: {}, time: {:.1f} ms\n", r["mode"].get<std::string>(),
                           r["seconds"].get<double>() * 1000);
  if (r.contains("reason")) std::cout << "no text: " << r["reason"].get<std::string>() << "\n";
  if (r.contains("document")) std::cout << "document: " << r["document"].dump() << "\n";
  if (r.contains("text")) {
    std::string text = r["text"].get<std::string>();
    std::cout << fmt::format("text ({} bytes):\n", text.size()) << text << "\n";
  }
}

int run_extract(const ExtractArgs& args, const GlobalOptions& global) {
  config::Config config;
  std::string path = config_path(global);
  std::error_code ec;
  if (fs::exists(path, ec)) {
    config = load_and_setup(path, global.log);
  } else {
    logging::setup(logging::Format::kText, spdlog::level::warn);
  }
  if (args.mode == "service" && config.extraction_service.host.empty()) {
    throw ConfigError("--mode", "service needs extraction_service.host in " + path);
  }
  auto options = sync::content_options(config, mode_field(args.mode));
  int failed = 0;
  for (const auto& file : args.files) {
    Outcome outcome = extract_one(file, config, options);
    if (!outcome.ok) ++failed;
    if (args.json_lines) {
      std::cout << outcome.report.dump() << "\n";
    } else {
      print_text(outcome.report);
    }
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

Runner add_extract_command(CLI::App& app, std::shared_ptr<GlobalOptions> global) {
  auto args = std::make_shared<ExtractArgs>();
  auto* cmd = app.add_subcommand(
      "extract",
      "Show what would be indexed from files: per file its type, the extracted text (or why "
      "there is none) and the time taken. Exit 1 when a file gave no text.");
  cmd->add_option("files", args->files, "Files to extract")->required();
  cmd->add_option("--mode", args->mode,
                  "local: our extractor workers (text into `body`); attachment: the document with "
                  "the base64 `_attachment` the ingest pipeline extracts; service: the "
                  "extraction_service.host of the config")
      ->check(CLI::IsMember({"local", "attachment", "service"}))
      ->capture_default_str();
  cmd->add_flag("--json", args->json_lines, "One JSON object per file");
  return [cmd, args, global]() -> int {
    if (!cmd->parsed()) return -1;
    try {
      return run_extract(*args, *global);
    } catch (const ConfigError& e) {
      std::cerr << "connectors extract: " << logging::redact(e.what()) << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "connectors extract: " << logging::redact(e.what()) << "\n";
      return 1;
    }
  };
}

}  // namespace connectors::cli
