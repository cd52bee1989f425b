#include "config/loader.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "config/keys.h"
#include "core/errors.h"

namespace connectors::config {
namespace {

// The XDG cache directory, as programs on a desktop or server expect it.
std::string default_id_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/elastic-ingest/ids";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') return std::string(home) + "/.cache/elastic-ingest/ids";
  return ".cache/elastic-ingest/ids";
}

struct Problem {
  std::string key;
  std::string message;
};

// Walks the YAML tree into dotted keys. A mapping key may itself be dotted
// ("bulk.chunk_size: 10"); later values replace earlier ones, as in the framework.
class Flattener {
 public:
  std::map<std::string, YAML::Node> leaves;
  std::vector<std::string> warnings;
  std::vector<Problem> problems;

  void walk(const YAML::Node& node, const std::string& prefix) {
    if (!prefix.empty() && find_key(prefix) != nullptr) {
      leaves[prefix] = node;
      return;
    }
    if (node.IsNull()) return;
    if (!node.IsMap()) {
      if (prefix.empty()) {
        problems.push_back({"", "the file must be a YAML mapping"});
      } else if (is_section(prefix)) {
        problems.push_back({prefix, "expected a mapping of keys"});
      } else {
        warnings.push_back("unknown config key '" + prefix + "' is ignored");
      }
      return;
    }
    for (const auto& item : node) {
      std::string child = item.first.as<std::string>();
      std::string path = prefix.empty() ? child : prefix + "." + child;
      if (find_key(path) == nullptr && !is_section(path) && !item.second.IsMap()) {
        warnings.push_back("unknown config key '" + path + "' is ignored");
        continue;
      }
      walk(item.second, path);
    }
  }
};

// Reads typed values out of the flattened tree, falling back to defaults and
// collecting problems instead of stopping at the first one.
class Reader {
 public:
  Reader(const std::map<std::string, YAML::Node>& leaves, const EnvLookup& env,
         std::vector<Problem>& problems)
      : leaves_(leaves), env_(env), problems_(problems) {}

  std::string str(std::string_view key) {
    auto text = scalar(key);
    return text.value_or("");
  }

  Secret secret(std::string_view key) { return Secret(str(key)); }

  long long integer(std::string_view key) {
    const KeySpec& spec = spec_of(key);
    auto text = scalar(key);
    long long value = 0;
    if (!text || text->empty()) return parse_default_int(spec);
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || ptr != text->data() + text->size()) {
      fail(spec, "expected an integer, got '" + *text + "'");
      return parse_default_int(spec);
    }
    check_bounds(spec, static_cast<double>(value));
    return value;
  }

  double number(std::string_view key) {
    const KeySpec& spec = spec_of(key);
    auto text = scalar(key);
    if (!text || text->empty()) return std::stod(std::string(spec.default_value));
    try {
      size_t used = 0;
      double value = std::stod(*text, &used);
      if (used != text->size() || !std::isfinite(value)) throw std::invalid_argument("");
      check_bounds(spec, value);
      return value;
    } catch (const std::exception&) {
      fail(spec, "expected a number, got '" + *text + "'");
      return std::stod(std::string(spec.default_value));
    }
  }

  bool boolean(std::string_view key) {
    const KeySpec& spec = spec_of(key);
    auto text = scalar(key);
    std::string value = text && !text->empty() ? *text : std::string(spec.default_value);
    for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (value == "true" || value == "yes" || value == "on") return true;
    if (value == "false" || value == "no" || value == "off") return false;
    fail(spec, "expected true or false, got '" + value + "'");
    return spec.default_value == "true";
  }

  std::vector<std::string> string_list(std::string_view key) {
    std::vector<std::string> out;
    const YAML::Node* node = find(key);
    if (node == nullptr || node->IsNull()) return out;
    if (!node->IsSequence()) {
      fail(spec_of(key), "expected a list of strings");
      return out;
    }
    for (const auto& item : *node) {
      if (!item.IsScalar()) {
        fail(spec_of(key), "expected a list of strings");
        return {};
      }
      out.push_back(expand_env(item.Scalar(), key, env_));
    }
    return out;
  }

  std::map<std::string, std::string> string_map(std::string_view key) {
    std::map<std::string, std::string> out;
    const YAML::Node* node = find(key);
    if (node == nullptr || node->IsNull()) return out;
    if (!node->IsMap()) {
      fail(spec_of(key), "expected a mapping of strings");
      return out;
    }
    for (const auto& item : *node) {
      if (!item.second.IsScalar()) {
        fail(spec_of(key), "value of '" + item.first.as<std::string>() + "' must be a string");
        continue;
      }
      out[item.first.as<std::string>()] = expand_env(item.second.Scalar(), key, env_);
    }
    return out;
  }

  const YAML::Node* find(std::string_view key) {
    auto it = leaves_.find(std::string(key));
    return it == leaves_.end() ? nullptr : &it->second;
  }

  void fail(const KeySpec& spec, std::string message) {
    problems_.push_back({std::string(spec.key), std::move(message)});
  }

 private:
  const KeySpec& spec_of(std::string_view key) {
    const KeySpec* spec = find_key(key);
    if (spec == nullptr) throw std::logic_error("config key missing from keys.cpp: " + std::string(key));
    return *spec;
  }

  // The expanded scalar text of a key, or nullopt when unset (then the default applies).
  std::optional<std::string> scalar(std::string_view key) {
    const KeySpec& spec = spec_of(key);
    const YAML::Node* node = find(key);
    if (node == nullptr || node->IsNull()) {
      if (spec.default_value.empty()) return std::nullopt;
      return std::string(spec.default_value);
    }
    if (!node->IsScalar()) {
      fail(spec, std::string("expected a ") + std::string(type_name(spec.type)) +
                     ", got a " + (node->IsMap() ? "mapping" : "list"));
      return std::nullopt;
    }
    try {
      return expand_env(node->Scalar(), key, env_);
    } catch (const ConfigError& e) {
      problems_.push_back({std::string(key), e.what()});
      return std::nullopt;
    }
  }

  long long parse_default_int(const KeySpec& spec) {
    return spec.default_value.empty() ? 0 : std::stoll(std::string(spec.default_value));
  }

  void check_bounds(const KeySpec& spec, double value) {
    if (value < spec.min || (spec.max != 0 && value > spec.max)) {
      std::ostringstream msg;
      msg << "must be between " << spec.min << " and " << spec.max << ", got " << value;
      fail(spec, msg.str());
    }
  }

  const std::map<std::string, YAML::Node>& leaves_;
  const EnvLookup& env_;
  std::vector<Problem>& problems_;
};

int to_int(long long value) { return static_cast<int>(value); }

void read_elasticsearch(Reader& r, ElasticsearchConfig& es) {
  es.host = r.str("elasticsearch.host");
  es.api_key = r.secret("elasticsearch.api_key");
  es.username = r.str("elasticsearch.username");
  es.password = r.secret("elasticsearch.password");
  es.ssl = r.boolean("elasticsearch.ssl");
  es.verify_certs = r.boolean("elasticsearch.verify_certs");
  es.ca_certs = r.str("elasticsearch.ca_certs");
  es.headers = r.string_map("elasticsearch.headers");
  es.request_timeout_s = to_int(r.integer("elasticsearch.request_timeout"));
  es.retry_on_timeout = r.boolean("elasticsearch.retry_on_timeout");
  es.max_wait_duration_s = to_int(r.integer("elasticsearch.max_wait_duration"));
  es.initial_backoff_duration_s = r.number("elasticsearch.initial_backoff_duration");
  es.backoff_multiplier = r.number("elasticsearch.backoff_multiplier");
  es.max_retries = to_int(r.integer("elasticsearch.max_retries"));
  es.retry_interval_s = r.number("elasticsearch.retry_interval");
  es.log_level = r.str("elasticsearch.log_level");
  {
    // The framework's levels (elastic_transport.node): an unknown one would silently trace nothing.
    static constexpr std::string_view kTraceLevels[] = {"debug", "info", "warning", "warn", "error", "critical"};
    std::string lower = es.log_level;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::find(std::begin(kTraceLevels), std::end(kTraceLevels), lower) == std::end(kTraceLevels)) {
      r.fail(*find_key("elasticsearch.log_level"),
             "expected debug, info, warning, error or critical, got '" + es.log_level + "'");
    }
  }
  es.feature_use_connectors_api = r.boolean("elasticsearch.feature_use_connectors_api");
  if (!es.host.starts_with("http://") && !es.host.starts_with("https://")) {
    r.fail(*find_key("elasticsearch.host"), "must start with http:// or https://");
  }

  BulkConfig& b = es.bulk;
  b.queue_max_size = to_int(r.integer("elasticsearch.bulk.queue_max_size"));
  b.queue_max_mem_size_mib = to_int(r.integer("elasticsearch.bulk.queue_max_mem_size"));
  b.queue_refresh_interval_s = to_int(r.integer("elasticsearch.bulk.queue_refresh_interval"));
  b.queue_refresh_timeout_s = to_int(r.integer("elasticsearch.bulk.queue_refresh_timeout"));
  b.display_every = to_int(r.integer("elasticsearch.bulk.display_every"));
  b.chunk_size = to_int(r.integer("elasticsearch.bulk.chunk_size"));
  b.chunk_max_mem_size_mib = to_int(r.integer("elasticsearch.bulk.chunk_max_mem_size"));
  b.max_text_document_size_mib = to_int(r.integer("elasticsearch.bulk.max_text_document_size"));
  b.max_concurrency = to_int(r.integer("elasticsearch.bulk.max_concurrency"));
  b.concurrent_downloads = to_int(r.integer("elasticsearch.bulk.concurrent_downloads"));
  b.max_retries = to_int(r.integer("elasticsearch.bulk.max_retries"));
  b.retry_interval_s = r.number("elasticsearch.bulk.retry_interval");
  b.enable_operations_logging = r.boolean("elasticsearch.bulk.enable_operations_logging");

  ErrorMonitorConfig& m = b.error_monitor;
  m.enabled = r.boolean("elasticsearch.bulk.error_monitor.enabled");
  m.max_total_errors = to_int(r.integer("elasticsearch.bulk.error_monitor.max_total_errors"));
  m.max_consecutive_errors =
      to_int(r.integer("elasticsearch.bulk.error_monitor.max_consecutive_errors"));
  m.max_error_rate = r.number("elasticsearch.bulk.error_monitor.max_error_rate");
  m.error_window_size = to_int(r.integer("elasticsearch.bulk.error_monitor.error_window_size"));
  m.error_queue_size = to_int(r.integer("elasticsearch.bulk.error_monitor.error_queue_size"));
}

void read_service(Reader& r, ServiceConfig& s) {
  s.worker_mode = r.boolean("service.worker_mode");
  s.service_types = r.string_list("service.service_types");
  s.idling_s = to_int(r.integer("service.idling"));
  s.heartbeat_s = to_int(r.integer("service.heartbeat"));
  s.preflight_max_attempts = to_int(r.integer("service.preflight_max_attempts"));
  s.preflight_idle_s = to_int(r.integer("service.preflight_idle"));
  s.max_errors = to_int(r.integer("service.max_errors"));
  s.max_errors_span_s = to_int(r.integer("service.max_errors_span"));
  s.max_concurrent_content_syncs = to_int(r.integer("service.max_concurrent_content_syncs"));
  if (r.find("service.max_concurrent_content_syncs") == nullptr &&
      r.find("service.max_concurrent_syncs") != nullptr) {
    s.max_concurrent_content_syncs = to_int(r.integer("service.max_concurrent_syncs"));
  }
  s.max_concurrent_access_control_syncs =
      to_int(r.integer("service.max_concurrent_access_control_syncs"));
  s.max_concurrent_scheduling_tasks = to_int(r.integer("service.max_concurrent_scheduling_tasks"));
  s.max_file_download_size = r.integer("service.max_file_download_size");
  s.extraction_workers = to_int(r.integer("service.extraction_workers"));
  s.extraction_memory_limit_mib = to_int(r.integer("service.extraction_memory_limit"));
  s.extraction_timeout_s = to_int(r.integer("service.extraction_timeout"));
  s.job_cleanup_interval_s = to_int(r.integer("service.job_cleanup_interval"));
  s.idle_job_threshold_s = to_int(r.integer("service.idle_job_threshold"));
  s.id_cache_dir = r.boolean("service.id_cache") ? r.str("service.id_cache_dir") : "";
  if (r.boolean("service.id_cache") && s.id_cache_dir.empty()) s.id_cache_dir = default_id_cache_dir();
  s.redact_job_secrets = r.boolean("service.redact_job_secrets");
  s.log_level = r.str("service.log_level");
  s.fips_mode = r.boolean("service.fips_mode");
  static constexpr std::string_view kLevels[] = {"DEBUG", "INFO", "WARNING", "WARN", "ERROR",
                                                 "CRITICAL"};
  std::string upper = s.log_level;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (std::find(std::begin(kLevels), std::end(kLevels), upper) == std::end(kLevels)) {
    r.fail(*find_key("service.log_level"),
           "expected DEBUG, INFO, WARNING, ERROR or CRITICAL, got '" + s.log_level + "'");
  }
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

void add_connector(std::vector<ConnectorEntry>& list, ConnectorEntry entry) {
  for (auto& existing : list) {
    if (existing.connector_id == entry.connector_id) {
      existing = std::move(entry);  // duplicates: the last one wins, as in the framework
      return;
    }
  }
  list.push_back(std::move(entry));
}

void read_connectors(Reader& r, const EnvLookup& env, Config& config,
                     std::vector<std::string>& warnings) {
  const KeySpec& spec = *find_key("connectors");
  if (const YAML::Node* node = r.find("connectors"); node != nullptr && !node->IsNull()) {
    if (!node->IsSequence()) {
      r.fail(spec, "expected a list of {connector_id, service_type, api_key}");
    } else {
      size_t index = 0;
      for (const auto& item : *node) {
        std::string where = "connectors[" + std::to_string(index++) + "]";
        if (!item.IsMap()) {
          r.fail(spec, where + " must be a mapping");
          continue;
        }
        ConnectorEntry entry;
        for (const auto& field : item) {
          std::string name = field.first.as<std::string>();
          std::string value =
              field.second.IsScalar() ? expand_env(field.second.Scalar(), where, env) : "";
          if (name == "connector_id") {
            entry.connector_id = value;
          } else if (name == "service_type") {
            entry.service_type = value;
          } else if (name == "api_key") {
            entry.api_key = Secret(value);
          } else {
            warnings.push_back("unknown key '" + where + "." + name + "' is ignored");
          }
        }
        if (entry.connector_id.empty()) {
          warnings.push_back(where + " has no connector_id and is ignored");
          continue;
        }
        add_connector(config.connectors, std::move(entry));
      }
    }
  }
  std::string legacy_id = r.str("connector_id");
  if (legacy_id == "changeme") {
    // The placeholder of the Python framework 8.9's sample config.yml.
    warnings.push_back("connector_id 'changeme' is the sample's placeholder and is ignored");
  } else if (!legacy_id.empty()) {
    warnings.push_back("'connector_id' and 'service_type' are deprecated: use 'connectors'");
    add_connector(config.connectors, ConnectorEntry{legacy_id, r.str("service_type"), Secret()});
  }
  config.native_service_types = r.string_list("native_service_types");
  if (!config.native_service_types.empty() && !r.boolean("_force_allow_native")) {
    warnings.push_back("'native_service_types' is deprecated (Python framework 8.x): native connectors of " +
                       join(config.native_service_types) + " are served; prefer 'connectors' or worker_mode");
  }
}

void read_extraction(Reader& r, ExtractionServiceConfig& x) {
  x.host = r.str("extraction_service.host");
  x.timeout_s = to_int(r.integer("extraction_service.timeout"));
  x.use_file_pointers = r.boolean("extraction_service.use_file_pointers");
  x.stream_chunk_size = to_int(r.integer("extraction_service.stream_chunk_size"));
  x.shared_volume_dir = r.str("extraction_service.shared_volume_dir");
}

}  // namespace

LoadResult load_config_string(std::string_view yaml, const EnvLookup& env) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw ConfigError("", "config.yml is not valid YAML: " + std::string(e.what()));
  }
  Flattener flat;
  flat.walk(root, "");
  std::vector<Problem> problems = std::move(flat.problems);
  LoadResult result;
  result.warnings = std::move(flat.warnings);
  for (const auto& [key, node] : flat.leaves) {
    std::string_view why = without_effect(key);
    if (why.empty() || !node.IsScalar() || node.Scalar() == find_key(key)->default_value) continue;
    result.warnings.push_back("config key '" + key + "' is accepted and has no effect: " + std::string(why));
  }
  Reader reader(flat.leaves, env, problems);
  try {
    read_elasticsearch(reader, result.config.elasticsearch);
    read_service(reader, result.config.service);
    read_connectors(reader, env, result.config, result.warnings);
    result.config.sources = reader.string_map("sources");
    read_extraction(reader, result.config.extraction_service);
  } catch (const ConfigError& e) {
    problems.push_back({e.key(), e.what()});
  }
  if (!problems.empty()) {
    std::string message = "invalid configuration: ";
    for (size_t i = 0; i < problems.size(); ++i) {
      if (i) message += "; ";
      const auto& p = problems[i];
      message += p.message.starts_with(p.key) || p.key.empty() ? p.message
                                                                  : p.key + ": " + p.message;
    }
    throw ConfigError(problems.front().key, message);
  }
  return result;
}

LoadResult load_config_file(const std::string& path, const EnvLookup& env) {
  std::ifstream in(path);
  if (!in) throw ConfigError("", "cannot read config file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return load_config_string(buffer.str(), env);
}

}  // namespace connectors::config
