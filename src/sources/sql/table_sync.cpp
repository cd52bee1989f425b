#include "sources/sql/table_sync.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/errors.h"

namespace connectors::sources::sql {

using json = nlohmann::json;

void read_settings(const Configuration& c, const std::string& user_key, common::Endpoint& endpoint,
                   SourceSettings& settings) {
  endpoint.host = c.str("host");
  endpoint.port = c.integer("port");
  endpoint.user = c.str(user_key);
  endpoint.password = c.secret("password");
  endpoint.database = c.str("database");
  if (endpoint.port < 1 || endpoint.port > 65535) {
    throw ConfigError(
        "port", "'Port' (port) must be between 1 and 65535, got " + std::to_string(endpoint.port));
  }
  settings.tables = parse_tables(c.list("tables"));
  settings.fetch_size = c.integer("fetch_size");
  if (settings.fetch_size < 1) {
    throw ConfigError("fetch_size", "'Rows fetched per request' (fetch_size) must be at least 1");
  }
  long long retries = c.integer("retry_count");
  if (retries < 0) {
    throw ConfigError("retry_count", "'Retries per request' (retry_count) cannot be negative");
  }
  settings.attempts = static_cast<int>(std::min(retries, 100LL));
  settings.ssl = c.has("ssl_enabled") && c.boolean("ssl_enabled");  // Oracle has no such field
  if (settings.ssl) settings.ssl_ca = common::pem_format(c.str("ssl_ca"));
}

Field numeric_field(const char* key, const char* label, int order, long long value) {
  Field f = make_field(key, label, order);
  f.type = FieldType::kInt;
  f.display = Display::kNumeric;
  f.value = value;
  return f;
}

Schema endpoint_fields(const char* user_key) {
  // No values: the framework 8.8 shipped its test fixture's (127.0.0.1, 9090,
  // admin, Password_123, xe), which then stood in for what a user left out.
  // Its main branch removed them; so do we, and each of these is required.
  Field port = make_field("port", "Port", 2);
  port.type = FieldType::kInt;
  port.display = Display::kNumeric;
  Field password = make_field("password", "Password", 4);
  password.sensitive = true;
  Field tables = make_field("tables", "Comma-separated list of tables", 6);
  tables.type = FieldType::kList;
  tables.display = Display::kTextarea;
  tables.value = "*";  // a real default: every table
  return {make_field("host", "Host", 1),         port,
          make_field(user_key, "Username", 3),   password,
          make_field("database", "Database", 5), tables};
}

Schema ssl_fields(int order, const char* ssl_label) {
  Field ssl_enabled = make_toggle("ssl_enabled", ssl_label, order);
  Field ssl_ca = make_field("ssl_ca", "SSL certificate", order + 1);
  ssl_ca.depends_on = {{"ssl_enabled", true}};
  return {ssl_enabled, ssl_ca};
}

Schema request_fields(int order) {
  Field fetch_size = numeric_field("fetch_size", "Rows fetched per request", order, 50);
  fetch_size.default_value = 50;
  fetch_size.required = false;
  fetch_size.ui_restrictions = {"advanced"};
  Field retry_count = numeric_field("retry_count", "Retries per request", order + 1, 3);
  retry_count.default_value = 3;
  retry_count.required = false;
  retry_count.ui_restrictions = {"advanced"};
  return {fetch_size, retry_count};
}

bool has_duplicates(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return std::adjacent_find(items.begin(), items.end()) != items.end();
}

int column_index(const std::vector<std::string>& names, const std::string& name) {
  for (int i = static_cast<int>(names.size()) - 1; i >= 0; --i) {
    if (names[static_cast<size_t>(i)] == name) return i;
  }
  return -1;
}

std::vector<int> column_indexes(const std::vector<std::string>& names,
                                const std::vector<std::string>& keys) {
  std::vector<int> out;
  out.reserve(keys.size());
  for (const auto& key : keys) out.push_back(column_index(names, key));
  return out;
}

std::vector<const Value*> pick(const std::vector<Value>& values, const std::vector<int>& indexes) {
  std::vector<const Value*> out;
  out.reserve(indexes.size());
  for (int i : indexes) out.push_back(i < 0 ? nullptr : &values[static_cast<size_t>(i)]);
  return out;
}

void LossReport::note(const std::string& column, Loss loss, const std::string& id) {
  for (auto& entry : entries_) {
    if (entry.column == column && entry.loss == loss) {
      ++entry.count;
      return;
    }
  }
  entries_.push_back({column, loss, id, 1});
}

void LossReport::report(DocumentSink& sink) const {
  for (const auto& e : entries_) {
    bool not_finite = e.loss == Loss::kNotFinite;
    sink.warn(fmt::format(
        "{}, column {}: {} value{} sent as {}: {} (the first in document {})", what_, e.column,
        e.count, e.count == 1 ? " was" : "s were", not_finite ? "null" : "base64",
        not_finite ? "NaN or Infinity, which JSON has no number for" : "text that is not UTF-8",
        e.first_id));
  }
}

Document row_document(std::string id, const std::string& timestamp,
                      const std::vector<std::string>& names, const std::vector<Value>& values,
                      const json& extra, LossReport& losses) {
  Document doc;
  doc.id = std::move(id);
  doc.timestamp = timestamp;
  doc.fields = json::object();
  for (size_t i = 0; i < names.size(); ++i) {
    Loss loss = Loss::kNone;
    doc.fields[names[i]] = to_json(values[i], &loss);
    if (loss != Loss::kNone) losses.note(names[i], loss, doc.id);
  }
  for (const auto& [key, value] : extra.items()) doc.fields[key] = value;
  return doc;
}

void warn_no_primary_key(DocumentSink& sink, std::string_view source, std::string_view table,
                         std::string_view database) {
  sink.warn(fmt::format(
      "{}: table {} of database {} was skipped because it has no primary key: assign one, or "
      "index the table with an advanced sync rule that names its id_columns",
      source, table, database));
}

std::vector<std::string> rule_keys(
    const CustomQuery& rule, size_t table_count,
    const std::function<std::vector<std::string>(size_t)>& primary_key, std::string_view source,
    std::string_view database, std::string_view duplicate_warning, DocumentSink& sink) {
  if (!rule.id_columns.empty()) return rule.id_columns;
  std::vector<std::string> keys;
  for (size_t i = 0; i < table_count; ++i) {
    auto pk = primary_key(i);
    keys.insert(keys.end(), pk.begin(), pk.end());
  }
  std::sort(keys.begin(), keys.end());
  if (keys.empty()) {
    sink.warn(fmt::format(
        "{}: the custom query of tables {} from database {} was skipped because they have no "
        "primary key: give the rule id_columns",
        source, common::join(rule.tables), database));
    return {};
  }
  if (has_duplicates(keys)) {
    sink.warn(std::string(duplicate_warning));
    return {};
  }
  return keys;
}

void warn_keys_not_in_query(DocumentSink& sink, std::string_view source, const CustomQuery& rule) {
  sink.warn(fmt::format(
      "{}: the custom query of tables {} was skipped because its result lacks a primary key or "
      "id_columns column: {}",
      source, common::join(rule.tables), rule.query));
}

void TableSyncSource::set_advanced_rules(const json& value) {
  rules_ = parse_custom_queries(value);
}

RulesValidation TableSyncSource::validate_advanced_rules(const json& value, std::stop_token stop) {
  auto schema = validate_rules_schema(value);
  if (!schema.valid) return schema;
  std::vector<CustomQuery> queries;
  try {
    queries = parse_custom_queries(value);
  } catch (const ConfigError& e) {
    return {false, e.what()};
  }
  return validate_rule_tables(queries, table_finder(stop));
}

void TableSyncSource::documents(DocumentSink& sink, std::stop_token stop) {
  if (!rules_.empty()) {
    sync_rules(sink, stop);
    return;
  }
  sync_tables(sink, stop);
}

}  // namespace connectors::sources::sql
