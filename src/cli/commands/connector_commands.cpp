// `connectors connector list|create`: the connector documents in
// `.elastic-connectors`, created the way the Python framework's CLI creates
// them (status configured, configuration validated against the source schema).
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli/commands/commands.h"
#include "cli/commands/output.h"
#include "core/cron.h"
#include "protocol/connectors.h"
#include "protocol/indices.h"
#include "sources/registry.h"
#include "sync/content_index.h"

namespace connectors::cli {
namespace {

namespace fs = std::filesystem;
using protocol::Connector;
using protocol::ConnectorStore;

struct ListArgs {
  bool json = false;
};

struct CreateArgs {
  std::string service_type;
  std::string index_name;
  std::string name;
  std::string id;
  std::string language;
  bool from_index = false;
  std::string from_file;
  std::vector<std::string> set_values;
  bool update_config = false;
  std::string service_config;
  std::string schedule;
  bool interactive = false;
  bool json = false;
};

std::string source_types() {
  std::string out;
  for (const auto& s : sources::registered_sources()) out += (out.empty() ? "" : ", ") + s.service_type;
  return out;
}

bool is_empty_value(const json& v) {
  if (v.is_null()) return true;
  if (v.is_string()) return v.get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos;
  return false;
}

// --- connector list ---

json connector_summary(const Connector& c) {
  const json& s = c.doc.source;
  return {{"id", c.id()},
          {"name", s.value("name", json(nullptr))},
          {"index_name", s.value("index_name", json(nullptr))},
          {"service_type", s.value("service_type", json(nullptr))},
          {"status", s.value("status", json(nullptr))},
          {"last_sync_status", s.value("last_sync_status", json(nullptr))},
          {"last_synced", s.value("last_synced", json(nullptr))},
          {"last_seen", s.value("last_seen", json(nullptr))},
          {"error", s.value("error", json(nullptr))},
          {"is_native", s.value("is_native", false)}};
}

int run_list(const ListArgs& a, const GlobalOptions& global) {
  auto session = open_session(global);
  ConnectorStore store(*session.client);
  std::vector<Connector> connectors;
  for (auto& c : store.all()) {
    if (!c.doc.source.value("deleted", false)) connectors.push_back(std::move(c));
  }
  std::sort(connectors.begin(), connectors.end(), [](const Connector& x, const Connector& y) {
    return std::make_pair(x.doc.str("name"), x.id()) < std::make_pair(y.doc.str("name"), y.id());
  });
  if (a.json) {
    json out = json::array();
    for (const auto& c : connectors) out.push_back(connector_summary(c));
    std::cout << json_text(out);
    return 0;
  }
  if (connectors.empty()) {
    std::cout << "No connectors.\n";
    return 0;
  }
  Table table({"ID", "NAME", "INDEX", "SERVICE TYPE", "STATUS", "LAST SYNC STATUS"});
  for (const auto& c : connectors) {
    json s = connector_summary(c);
    table.add_row({cell_text(s, "id"), cell_text(s, "name"), cell_text(s, "index_name"),
                   cell_text(s, "service_type"), cell_text(s, "status"), cell_text(s, "last_sync_status")});
  }
  std::cout << table.render();
  return 0;
}

// --- connector create ---

// "5" → 5, "true" → true; everything else (and objects/arrays) stays a string.
json parse_set_value(const std::string& text) {
  auto parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || parsed.is_object() || parsed.is_array() || parsed.is_string()) return text;
  return parsed;
}

json given_values(const CreateArgs& a) {
  json values = json::object();
  if (!a.from_file.empty()) {
    std::ifstream in(a.from_file);
    if (!in) throw ConfigError("--from-file", "cannot read " + a.from_file);
    values = json::parse(in, nullptr, false);
    if (!values.is_object()) {
      throw ConfigError("--from-file", a.from_file + " is not a JSON object of {\"field\": value}");
    }
    // A whole `configuration` object ({key: {value: ...}}) is accepted too.
    for (auto& [key, v] : values.items()) {
      if (v.is_object() && v.contains("value")) v = json(v["value"]);
    }
  }
  for (const auto& item : a.set_values) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) throw ConfigError("--set", "expected key=value, got '" + item + "'");
    values[item.substr(0, eq)] = parse_set_value(item.substr(eq + 1));
  }
  return values;
}

bool field_active(const sources::Field& f, const json& configuration) {
  for (const auto& d : f.depends_on) {
    if (!configuration.contains(d.field) || configuration[d.field].value("value", json(nullptr)) != d.value) {
      return false;
    }
  }
  return true;
}

json parse_answer(const sources::Field& f, const std::string& text) {
  switch (f.type) {
    case sources::FieldType::kInt:
    case sources::FieldType::kFloat: {
      auto parsed = json::parse(text, nullptr, false);
      return !parsed.is_discarded() && parsed.is_number() ? parsed : json(text);
    }
    case sources::FieldType::kBool: {
      std::string t = text;
      for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (t == "y" || t == "yes" || t == "true" || t == "on" || t == "1") return true;
      if (t == "n" || t == "no" || t == "false" || t == "off" || t == "0") return false;
      return text;
    }
    default: return text;
  }
}

std::string shown_default(const sources::Field& f, const json& value) {
  if (is_empty_value(value)) return "";
  if (f.sensitive) return "***";
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  return cell_text(value);
}

// Asks for each field in `order` (only active ones; only the empty required
// ones unless `all`), sensitive ones without echo. Empty answers keep the value.
void prompt_configuration(const sources::Schema& schema, json& configuration, bool all) {
  std::vector<const sources::Field*> fields;
  for (const auto& f : schema) fields.push_back(&f);
  std::stable_sort(fields.begin(), fields.end(),
                   [](const sources::Field* x, const sources::Field* y) { return x->order < y->order; });
  for (const auto* f : fields) {
    if (!field_active(*f, configuration)) continue;
    json& value = configuration[f->key]["value"];
    if (!all && !(f->required && is_empty_value(value))) continue;
    if (!f->tooltip.empty()) std::cerr << "  " << f->tooltip << "\n";
    if (!f->options.empty()) {
      std::string options;
      for (const auto& o : f->options) options += (options.empty() ? "" : ", ") + cell_text(o, "value");
      std::cerr << "  one of: " << options << "\n";
    }
    std::string fallback = shown_default(*f, value);
    std::string question = f->label + " (" + f->key + ")" + (f->required ? "" : ", optional") +
                           (f->type == sources::FieldType::kBool ? " [yes/no]" : "") +
                           (fallback.empty() ? "" : " [" + fallback + "]") + ": ";
    auto answer = f->sensitive ? prompt_secret(question, std::cin, std::cerr)
                               : prompt_line(question, std::cin, std::cerr);
    if (!answer) return;  // end of input: validation reports what is still missing
    if (answer->empty()) continue;
    if (f->sensitive) logging::register_secret(*answer);
    value = parse_answer(*f, *answer);
  }
}

bool missing_required(const sources::Schema& schema, const json& configuration) {
  for (const auto& f : schema) {
    if (f.required && field_active(f, configuration) && is_empty_value(configuration[f.key]["value"])) return true;
  }
  return false;
}

// Both the schema rules and the source's own checks; ConfigError names the field.
void validate_configuration(const sources::SourceDescriptor& source, const json& configuration) {
  sources::Configuration values(source.schema(), configuration);
  values.validate();
  (void)source.create(values);  // builds the source without contacting it
}

std::string choose_service_type() {
  std::cerr << "Service types:\n";
  const auto& all = sources::registered_sources();
  for (size_t i = 0; i < all.size(); ++i) {
    std::cerr << "  " << i + 1 << ") " << all[i].service_type << " - " << all[i].name << "\n";
  }
  auto answer = prompt_line("Service type: ", std::cin, std::cerr);
  if (!answer || answer->empty()) throw ConfigError("--service-type", "no service type given");
  for (size_t i = 0; i < all.size(); ++i) {
    if (*answer == std::to_string(i + 1)) return all[i].service_type;
  }
  return *answer;
}

// Appends {connector_id, service_type} to the `connectors:` list of a service
// config.yml, keeping its other keys (comments are not kept: yaml-cpp drops them).
void add_to_service_config(const std::string& path, const std::string& id, const std::string& service_type) {
  std::error_code ec;
  bool exists = fs::exists(path, ec);
  YAML::Node root;
  try {
    root = exists ? YAML::LoadFile(path) : YAML::Node(YAML::NodeType::Map);
  } catch (const YAML::Exception& e) {
    throw CommandError("cannot read " + path + ": " + e.what());
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) throw CommandError(path + " is not a YAML mapping");
  if (!root["connectors"] || root["connectors"].IsNull()) root["connectors"] = YAML::Node(YAML::NodeType::Sequence);
  if (!root["connectors"].IsSequence()) throw CommandError(path + ": `connectors` is not a list");
  YAML::Node entry(YAML::NodeType::Map);
  entry["connector_id"] = id;
  entry["service_type"] = service_type;
  root["connectors"].push_back(entry);
  YAML::Emitter out;
  out << root;

  struct stat st{};
  mode_t mode = exists && ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream file(tmp, std::ios::trunc);
    file << out.c_str() << "\n";
    if (!file.flush()) throw CommandError("cannot write " + tmp);
  }
  ::chmod(tmp.c_str(), mode);
  fs::rename(tmp, path);
}

int run_create(CreateArgs a, const GlobalOptions& global) {
  bool tty = stdin_is_tty();
  // Everything that needs no cluster first: a mistake here touches nothing.
  if (a.service_type.empty()) {
    if (!tty && !a.interactive) throw ConfigError("--service-type", "--service-type is required (one of: " + source_types() + ")");
    a.service_type = choose_service_type();
  }
  const auto* source = sources::find_source(a.service_type);
  if (!source) {
    throw ConfigError("--service-type", "unknown service type '" + a.service_type + "' (known: " + source_types() + ")");
  }
  if (a.index_name.empty()) {
    auto answer = (tty || a.interactive) ? prompt_line("Index name: ", std::cin, std::cerr) : std::nullopt;
    if (!answer || answer->empty()) throw ConfigError("--index-name", "--index-name is required");
    a.index_name = *answer;
  }
  if (!a.language.empty() && a.language != "en") {
    throw ConfigError("--index-language", "only 'en' is supported, got '" + a.language + "'");
  }
  if (!a.schedule.empty()) (void)CronSchedule::parse(a.schedule);

  sources::Schema schema = source->schema();
  json configuration = sources::schema_to_json(schema);
  json values = given_values(a);
  for (const auto& [key, value] : values.items()) {
    if (!configuration.contains(key)) {
      std::string known;
      for (const auto& f : schema) known += (known.empty() ? "" : ", ") + f.key;
      throw ConfigError(key, "unknown configuration field '" + key + "' for service type '" + a.service_type +
                                 "' (fields: " + known + ")");
    }
    configuration[key]["value"] = value;
    if (configuration[key].value("sensitive", false) && value.is_string()) {
      logging::register_secret(value.get<std::string>());
    }
  }
  bool will_prompt = a.interactive || (tty && missing_required(schema, configuration));
  if (!will_prompt) validate_configuration(*source, configuration);

  auto session = open_session(global);
  es::Client& client = *session.client;
  protocol::ensure_system_indices(client);
  ConnectorStore store(client);
  bool index_exists = client.index_exists(a.index_name);
  if (index_exists && !a.from_index) {
    throw CommandError("index '" + a.index_name +
                       "' already exists (use --from-index to create a connector for an existing index)");
  }
  if (!index_exists && a.from_index) throw CommandError("index '" + a.index_name + "' does not exist (--from-index)");
  json same_index = {{"bool",
                      {{"filter", json::array({{{"term", {{"index_name", a.index_name}}}}})},
                       {"must_not", json::array({{{"term", {{"deleted", true}}}}})}}}};
  auto existing = store.store().search(same_index, json::array(), 1);
  if (!existing.empty()) {
    throw CommandError("index '" + a.index_name + "' already has a connector: " + existing.front().id);
  }
  if (!a.id.empty() && store.get(a.id)) throw CommandError("connector '" + a.id + "' already exists");

  if (will_prompt) {
    prompt_configuration(schema, configuration, a.interactive);
    validate_configuration(*source, configuration);
  }

  bool created_index = a.from_index ? false : sync::ensure_content_index(client, a.index_name);
  std::string name = a.name.empty() ? a.index_name : a.name;
  json document = protocol::new_connector_document(name, a.index_name, a.service_type, configuration);
  if (!a.language.empty()) document["language"] = a.language;
  if (!a.schedule.empty()) document["scheduling"]["full"] = {{"enabled", true}, {"interval", a.schedule}};
  std::string id = store.create(document, a.id.empty() ? std::nullopt : std::optional<std::string>(a.id));

  std::string service_config;
  if (a.update_config || !a.service_config.empty()) {
    service_config = a.service_config.empty() ? "config.yml" : a.service_config;
    try {
      add_to_service_config(service_config, id, a.service_type);
    } catch (const std::exception& e) {
      throw CommandError("connector " + id + " was created, but adding it to " + service_config +
                         " failed: " + e.what());
    }
  }

  if (a.json) {
    std::cout << json_text({{"id", id},
                            {"name", name},
                            {"index_name", a.index_name},
                            {"service_type", a.service_type},
                            {"status", document["status"]},
                            {"index_created", created_index},
                            {"scheduling", document["scheduling"]},
                            {"service_config", service_config.empty() ? json(nullptr) : json(service_config)}});
  } else {
    std::cout << "Created connector " << id << " (" << a.service_type << ") for index " << a.index_name
              << (created_index ? " (new index)" : " (existing index)") << ", status configured.\n";
    if (!service_config.empty()) std::cout << "Added it to " << service_config << ".\n";
  }
  return 0;
}

}  // namespace

Runner add_connector_commands(CLI::App& app, std::shared_ptr<GlobalOptions> global) {
  auto* group = app.add_subcommand("connector", "List and create connectors");
  group->require_subcommand(1);

  auto list_args = std::make_shared<ListArgs>();
  auto* list = group->add_subcommand("list", "List the connectors");
  list->add_flag("--json", list_args->json, "Print a JSON array instead of a table");

  auto a = std::make_shared<CreateArgs>();
  auto* create = group->add_subcommand("create", "Create a connector and its content index");
  create->add_option("--service-type", a->service_type, "The source: " + source_types());
  create->add_option("--index-name", a->index_name, "The content index (created unless --from-index)");
  create->add_option("--name", a->name, "The connector's name (default: the index name)");
  create->add_option("--id", a->id, "The connector id (default: one Elasticsearch generates)");
  create->add_option("--index-language", a->language, "Language of the index (only 'en')");
  create->add_flag("--from-index", a->from_index, "Use an existing index instead of creating one");
  create->add_option("--from-file", a->from_file, "JSON file of configuration values ({\"field\": value})");
  create->add_option("--set", a->set_values, "A configuration value, field=value (repeatable)");
  auto* update = create->add_flag("--update-config", a->update_config,
                                  "Append {connector_id, service_type} to the service's config.yml");
  create->add_option("--connector-service-config", a->service_config,
                     "The service config.yml for --update-config (default: config.yml)")
      ->needs(update);
  create->add_option("--schedule", a->schedule, "Quartz cron for full syncs, e.g. \"0 0 * * * ?\" (default: off)");
  create->add_flag("-i,--interactive", a->interactive, "Ask for every configuration field");
  create->add_flag("--json", a->json, "Print the result as JSON");

  return [list, list_args, create, a, global]() -> int {
    if (list->parsed()) return run_guarded("connector list", [&] { return run_list(*list_args, *global); });
    if (create->parsed()) return run_guarded("connector create", [&] { return run_create(*a, *global); });
    return -1;
  };
}

}  // namespace connectors::cli
