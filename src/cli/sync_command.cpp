#include "cli/sync_command.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli/common.h"
#include "core/errors.h"
#include "protocol/connectors.h"
#include "sources/registry.h"
#include "sync/content_index.h"
#include "sync/job_setup.h"

namespace connectors::cli {
namespace {

struct SyncArgs {
  std::string config_file = "config.yml";
  std::string connector_id;  // take the source, values, rules and pipeline from this connector
  std::string service_type;
  std::string index;
  std::string source_config;            // JSON file of configuration values
  std::vector<std::string> set_values;  // key=value
  std::string advanced_rules;           // JSON file of advanced sync rules
  std::string pipeline = sync::kDefaultPipeline;
  bool pipeline_given = false;
  bool no_pipeline = false;
  bool full_resend = false;
  std::string id_cache_dir;  // empty = service.id_cache_dir of config.yml
  bool no_id_cache = false;
  std::string json_out;
  bool quiet = false;
  LogFlags log;
};

std::atomic<bool> g_interrupted{false};

void on_signal(int) { g_interrupted = true; }

// The configuration values of the command line over `values` (the
// connector's configuration, or none).
nlohmann::json source_configuration(const SyncArgs& args, nlohmann::json values) {
  if (!args.source_config.empty()) {
    std::ifstream in(args.source_config);
    if (!in) throw ConfigError("--source-config", "cannot read " + args.source_config);
    auto file = nlohmann::json::parse(in, nullptr, false);
    if (!file.is_object())
      throw ConfigError("--source-config", args.source_config + " is not a JSON object");
    for (const auto& [key, value] : file.items()) values[key] = value;
  }
  for (const auto& item : args.set_values) {
    auto eq = item.find('=');
    if (eq == std::string::npos) throw ConfigError("--set", "expected key=value, got '" + item + "'");
    std::string text = item.substr(eq + 1);
    // Numbers and booleans are given as such; everything else stays a string.
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    values[item.substr(0, eq)] =
        parsed.is_discarded() || parsed.is_object() || parsed.is_array() || parsed.is_string()
            ? nlohmann::json(text) : parsed;
  }
  return values;
}

// The job as the service would run it for the connector (--connector-id), or
// from the command line alone: the framework's pipeline defaults, no rules.
sync::JobSpec job_spec(const config::Config& config, SyncArgs& args, nlohmann::json& values) {
  sync::JobSpec spec;
  values = nlohmann::json::object();
  if (!args.connector_id.empty()) {
    es::Client client(es::client_options_from(config.elasticsearch));
    protocol::ConnectorStore store(client);
    auto connector = store.get(args.connector_id);
    if (!connector) throw ConfigError("--connector-id", "no connector " + args.connector_id);
    if (args.service_type.empty()) args.service_type = connector->service_type();
    if (args.index.empty()) args.index = connector->index_name();
    values = connector->configuration();
    spec.pipeline = connector->pipeline();
    spec.filtering = connector->active_filtering();
    spec.features = connector->features();
  }
  if (args.service_type.empty())
    throw ConfigError("--service-type", "required without --connector-id");
  if (args.index.empty()) throw ConfigError("--index", "required without --connector-id");
  if (args.connector_id.empty() || args.pipeline_given) spec.pipeline["name"] = args.pipeline;
  if (args.no_pipeline) spec.pipeline["name"] = "";
  if (!args.advanced_rules.empty()) {
    std::ifstream in(args.advanced_rules);
    auto rules = nlohmann::json::parse(in, nullptr, false);
    if (!in || rules.is_discarded())
      throw ConfigError("--advanced-rules", "cannot read JSON from " + args.advanced_rules);
    spec.filtering["advanced_snippet"] = {{"value", rules}};
  }
  spec.service_type = args.service_type;
  spec.index = args.index;
  return spec;
}

long peak_rss_kib() {
  struct rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

double cpu_seconds() {
  struct rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

nlohmann::json summary_json(const SyncArgs& args, const sync::SyncResult& r) {
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : r.errors) errors.push_back({{"id", e.id}, {"type", e.type}, {"reason", e.reason}});
  return {{"service_type", args.service_type},
          {"index", args.index},
          {"status", sync::status_name(r.status)},
          {"error", r.error},
          {"docs_extracted", r.docs_extracted},
          {"docs_unchanged", r.docs_unchanged},
          {"indexed_document_count", r.indexed_document_count},
          {"indexed_document_volume", r.indexed_document_volume},
          {"deleted_document_count", r.deleted_document_count},
          {"failed_document_count", r.failed_document_count},
          {"existing_documents", r.existing_documents},
          {"ids_from_cache", r.ids_from_cache},
          {"id_cache_saved", r.id_cache_saved},
          {"bulk_requests", r.bulk_requests},
          {"bulk_retries", r.bulk_retries},
          {"content_fetches", r.content_fetches},
          {"content_bytes_read", r.content_bytes_read},
          {"extraction_failures", r.extraction_failures},
          {"id_set_bytes", r.id_set_bytes},
          {"seconds", r.seconds},
          {"peak_rss_kib", peak_rss_kib()},
          {"cpu_seconds", cpu_seconds()},
          {"errors", errors}};
}

int run_sync(SyncArgs& args) {
  config::Config config = load_and_setup(args.config_file, args.log);
  nlohmann::json values;
  sync::JobSpec spec = job_spec(config, args, values);
  const nlohmann::json source_config = source_configuration(args, values);
  spec.configuration = source_config;
  auto source = sources::make_source(args.service_type, source_config);
  sync::SyncOptions options = sync::job_sync_options(config, spec, *source);
  options.skip_unchanged = !args.full_resend;
  if (args.no_id_cache) {
    options.id_cache_dir.clear();
  } else if (!args.id_cache_dir.empty()) {
    options.id_cache_dir = args.id_cache_dir;
  }
  auto started = std::chrono::steady_clock::now();
  if (!args.quiet) {
    options.progress = [started](const sync::SyncCounters& c) {
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      long long indexed = c.indexed_document_count;
      std::cerr << fmt::format(
          "\r[sync {:6.1f}s] {} read, {} indexed ({:.0f}/s), {} unchanged, {} deleted, {} failed   ",
          s, c.docs_extracted.load(), indexed, s > 0 ? static_cast<double>(indexed) / s : 0.0,
          c.docs_unchanged.load(), c.deleted_document_count.load(), c.failed_document_count.load());
    };
  }

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::stop_source stop;
  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    while (!finished) {
      if (g_interrupted) {
        stop.request_stop();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  auto result = sync::run_sync_job(es::client_options_from(config.elasticsearch), *source, spec,
                                   options, stop.get_token());
  finished = true;
  watcher.join();
  if (!args.quiet) std::cerr << "\n";

  auto summary = summary_json(args, result);
  if (!args.json_out.empty()) std::ofstream(args.json_out) << summary.dump(2) << "\n";
  std::cout << fmt::format(
      "sync {} in {:.1f} s: {} documents read, {} indexed ({:.1f} MiB), {} unchanged, {} deleted, "
      "{} failed, {} bytes of content read\n",
      sync::status_name(result.status), result.seconds, result.docs_extracted,
      result.indexed_document_count,
      static_cast<double>(result.indexed_document_volume) / 1048576.0, result.docs_unchanged,
      result.deleted_document_count, result.failed_document_count, result.content_bytes_read);
  for (const auto& e : result.errors) {
    std::cout << fmt::format("  document {}: {}: {}\n", e.id, e.type, e.reason);
  }
  if (!result.error.empty()) std::cout << "  " << logging::redact(result.error) << "\n";
  switch (result.status) {
    case sync::SyncStatus::kCompleted: return 0;
    case sync::SyncStatus::kCompletedWithErrors: return 3;
    case sync::SyncStatus::kCanceled: return 130;
    case sync::SyncStatus::kFailed: return 1;
  }
  return 1;
}

}  // namespace

std::function<int()> add_sync_command(CLI::App& app) {
  auto args = std::make_shared<SyncArgs>();
  auto* cmd = app.add_subcommand("sync", "Run one full sync of a source into an index, without the service");
  cmd->add_option("-c,--config,--config-file", args->config_file, "config.yml (elasticsearch.* and bulk settings)")
      ->capture_default_str();
  std::string types;
  for (const auto& s : sources::registered_sources()) types += (types.empty() ? "" : ", ") + s.service_type;
  cmd->add_option(
      "--connector-id", args->connector_id,
      "Sync as the service would for this connector: its source, configuration (--set "
      "overrides), basic and advanced rules and pipeline; into its index unless --index");
  cmd->add_option("--service-type", args->service_type,
                  "The source: " + types + " (required without --connector-id)");
  cmd->add_option("--index", args->index,
                  "The content index to sync into (required without --connector-id)");
  cmd->add_option("--source-config", args->source_config,
                  "JSON file of the source's configuration values ({\"key\": value})");
  cmd->add_option("--set", args->set_values, "A configuration value, key=value (repeatable)");
  cmd->add_option("--advanced-rules", args->advanced_rules,
                  "JSON file of advanced sync rules (e.g. custom queries per table for SQL sources)");
  auto* pipeline =
      cmd->add_option("--pipeline", args->pipeline,
                      "Ingest pipeline for _bulk (created if missing; default: the connector's)")
          ->capture_default_str();
  cmd->add_flag("--no-pipeline", args->no_pipeline, "Send documents without an ingest pipeline");
  cmd->add_flag("--full-resend", args->full_resend, "Send unchanged documents too");
  cmd->add_option("--id-cache-dir", args->id_cache_dir,
                  "Where the index's id set is kept between syncs (default: service.id_cache_dir)");
  cmd->add_flag("--no-id-cache", args->no_id_cache,
                "Read the ids from the index, and keep no id cache for the next sync");
  cmd->add_option("--json", args->json_out, "Also write the summary as JSON to this file");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress line");
  add_log_flags(*cmd, args->log);
  return [cmd, args, pipeline]() -> int {
    if (!cmd->parsed()) return -1;
    args->pipeline_given = pipeline->count() > 0;
    try {
      return run_sync(*args);
    } catch (const ConfigError& e) {
      std::cerr << "connectors sync: " << logging::redact(e.what()) << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "connectors sync: " << logging::redact(e.what()) << "\n";
      return 1;
    }
  };
}

}  // namespace connectors::cli
