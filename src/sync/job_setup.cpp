#include "sync/job_setup.h"

#include "core/errors.h"
#include "sync/access_control_sync.h"
#include "sync/content_fetch.h"
#include "sync/content_index.h"
#include "sync/incremental_sync.h"

namespace connectors::sync {
namespace {

using nlohmann::json;

bool flag(const json& pipeline, const char* key) {
  auto it = pipeline.find(key);
  return it == pipeline.end() || !it->is_boolean() ||
         it->get<bool>();  // the framework's default: true
}

std::string pipeline_name(const json& pipeline) {
  auto it = pipeline.find("name");
  return it != pipeline.end() && it->is_string() ? it->get<std::string>() : kDefaultPipeline;
}

std::string source_name(const JobSpec& spec) {
  return spec.service_type.empty() ? "this source" : "the " + spec.service_type + " source";
}

// Basic rules of the active filtering, refused unless the filtering was validated.
BasicRules basic_rules(const json& filtering) {
  if (!filtering.is_object()) return {};
  std::string state = filtering.contains("validation") && filtering["validation"].is_object()
                          ? filtering["validation"].value("state", "valid")
                          : "valid";
  if (state != "valid") {
    throw ConfigError("filtering", "the job's sync rules are not valid (state: " + state + ")");
  }
  return BasicRules::from_filtering(filtering);
}

void hand_advanced_rules(const JobSpec& spec, sources::Source& source) {
  if (!spec.filtering.is_object() || !spec.filtering.contains("advanced_snippet")) return;
  const json& snippet = spec.filtering["advanced_snippet"];
  json value = snippet.is_object() ? snippet.value("value", json(nullptr)) : json(nullptr);
  if (!sources::has_advanced_rules(value)) return;
  auto* advanced = source.advanced_rules();
  if (advanced == nullptr) {
    throw ConfigError("advanced_snippet", source_name(spec) + " has no advanced sync rules");
  }
  advanced->set_advanced_rules(value);
}

void check_job_type(const JobSpec& spec, sources::Source& source) {
  if (spec.job_type == "full") return;
  if (spec.job_type == "incremental") {
    if (source.incremental() == nullptr) {
      throw ConfigError("job_type",
                        "job type 'incremental' is not supported by " + source_name(spec));
    }
    if (!feature_enabled(spec.features, "incremental_sync")) {
      throw ConfigError(
          "job_type",
          "job type 'incremental': the connector's features.incremental_sync is not enabled");
    }
    return;
  }
  if (spec.job_type == "access_control") {
    if (source.access_control() == nullptr) {
      throw ConfigError("job_type",
                        "job type 'access_control' is not supported by " + source_name(spec));
    }
    return;
  }
  throw ConfigError("job_type", "unknown job type '" + spec.job_type + "'");
}

}  // namespace

bool feature_enabled(const json& features, const std::string& name) {
  if (!features.is_object() || !features.contains(name) || !features[name].is_object())
    return false;
  const json& feature = features[name];
  return feature.contains("enabled") && feature["enabled"] == true;
}

SyncOptions job_sync_options(const config::Config& config, const JobSpec& spec,
                             sources::Source& source) {
  check_job_type(spec, source);
  SyncOptions options;
  options.index = spec.index;
  options.bulk = config.elasticsearch.bulk;
  options.concurrent_downloads =
      concurrent_downloads_of(spec.configuration, config.elasticsearch.bulk.concurrent_downloads);
  options.max_file_download_size = config.service.max_file_download_size;
  options.content = content_options(config, spec.configuration);
  options.skip_unchanged = true;
  options.id_cache_dir = config.service.id_cache_dir;
  if (auto* dls = source.access_control()) {
    dls->enable_document_level_security(feature_enabled(spec.features, "document_level_security"));
  }
  if (spec.job_type == "access_control") return options;  // no rules, pipeline or control fields
  const json pipeline = spec.pipeline.is_object() ? spec.pipeline : json::object();
  options.pipeline = pipeline_name(pipeline);
  options.extract_binary_content = flag(pipeline, "extract_binary_content");
  options.reduce_whitespace = flag(pipeline, "reduce_whitespace");
  options.run_ml_inference = flag(pipeline, "run_ml_inference");
  options.rules = basic_rules(spec.filtering);
  hand_advanced_rules(spec, source);
  return options;
}

SyncResult run_sync_job(const es::ClientOptions& client_options, sources::Source& source,
                        const JobSpec& spec, const SyncOptions& options, std::stop_token stop) {
  check_job_type(spec, source);
  if (spec.job_type == "incremental") {
    return run_incremental_sync(client_options, source, *source.incremental(), spec.sync_cursor,
                                options, stop);
  }
  if (spec.job_type == "access_control") {
    return run_access_control_sync(client_options, *source.access_control(), options, stop);
  }
  return run_full_sync(client_options, source, options, stop);
}

}  // namespace connectors::sync
