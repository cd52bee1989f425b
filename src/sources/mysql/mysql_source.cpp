#include "sources/mysql/mysql_source.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "core/errors.h"
#include "sources/mysql/mysql_connection.h"
#include "sources/sql/advanced_rules.h"
#include "sources/sql/connection_support.h"
#include "sources/sql/documents.h"

namespace connectors::sources {
namespace {

namespace my = mysql;
using json = nlohmann::json;

constexpr unsigned int kUnknownDatabase = 1049;
constexpr unsigned int kDatabaseAccessDenied = 1044;

// `name` with embedded backticks doubled.
std::string quote(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

struct Settings {
  my::ConnectionSettings connection;
  sql::TableSelection tables;
  long long fetch_size = 50;
  int attempts = 3;
  bool ssl = false;
  std::string ssl_ca;  // PEM
};

bool has_duplicates(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return std::adjacent_find(items.begin(), items.end()) != items.end();
}

// Index of the last column called `name` (dict(zip(...)) keeps the last one).
int column_index(const std::vector<my::Column>& columns, const std::string& name) {
  for (int i = static_cast<int>(columns.size()) - 1; i >= 0; --i) {
    if (columns[static_cast<size_t>(i)].name == name) return i;
  }
  return -1;
}

class MySqlSource final : public sql::AdvancedRulesSource {
 public:
  explicit MySqlSource(Settings settings) : s_(std::move(settings)) {
    if (s_.ssl) {
      ca_file_ = std::make_unique<sql::CertificateFile>(s_.ssl_ca);
      s_.connection.ssl_ca = ca_file_->path();
    }
  }

  void ping(std::stop_token stop) override {
    retrying(stop, [&] { connection().ping(); });
  }

  void set_advanced_rules(const json& value) override { rules_ = sql::parse_custom_queries(value); }

  sql::RulesValidation validate_advanced_rules(const json& value, std::stop_token stop) override {
    auto schema = sql::validate_rules_schema(value);
    if (!schema.valid) return schema;
    std::vector<sql::CustomQuery> queries;
    try {
      queries = sql::parse_custom_queries(value);
    } catch (const ConfigError& e) {
      return {false, e.what()};
    }
    auto tables = all_tables(stop);
    std::set<std::string> known(tables.begin(), tables.end());
    return sql::validate_rule_tables(queries,
                                     [&](const std::string& t) { return known.count(t) > 0; });
  }

  void documents(DocumentSink& sink, std::stop_token stop) override {
    if (!rules_.empty()) {
      sync_rules(sink, stop);
      return;
    }
    std::vector<std::string> tables;
    if (s_.tables.all) {
      tables = all_tables(stop);
    } else {
      check_tables(s_.tables.names, stop);
      tables = s_.tables.names;
    }
    for (const auto& table : tables) sync_table(table, sink, stop);
  }

 private:
  my::Connection& connection() {
    if (conn_ && !conn_->usable()) conn_.reset();
    if (!conn_) {
      try {
        conn_ = std::make_unique<my::Connection>(s_.connection);
      } catch (const my::ServerError& e) {
        if (e.code() == kUnknownDatabase || e.code() == kDatabaseAccessDenied) {
          throw SourceError(fmt::format(
              "mysql: The database '{}' is either not present or not accessible for the user "
              "'{}'. ({})",
              s_.connection.database, s_.connection.user, e.what()));
        }
        throw;
      }
    }
    return *conn_;
  }

  // A step with the framework's retries; a failure caused by a stop request
  // (the connection is cut to interrupt a read) is a cancellation.
  void retrying(std::stop_token stop, const std::function<void()>& step) {
    sql::with_retries(
        s_.attempts, stop,
        [&] {
          try {
            step();
          } catch (const SourceError&) {
            if (stop.stop_requested()) throw Cancelled();
            throw;
          }
        },
        [this] { conn_.reset(); });
  }

  std::vector<std::string> first_column(const my::Rows& rows) {
    std::vector<std::string> out;
    for (const auto& row : rows) {
      if (!row.empty() && row[0]) out.push_back(*row[0]);
    }
    return out;
  }

  std::vector<std::string> all_tables(std::stop_token stop) {
    std::vector<std::string> tables;
    retrying(stop, [&] {
      auto& c = connection();
      tables = first_column(
          c.rows("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = " +
                     c.literal(s_.connection.database),
                 "listing the tables"));
    });
    return tables;
  }

  // validate_config@8.8: every configured table answers SELECT 1.
  void check_tables(const std::vector<std::string>& tables, std::stop_token stop) {
    std::vector<std::string> missing;
    retrying(stop, [&] {
      missing.clear();
      auto& c = connection();
      for (const auto& table : tables) {
        try {
          c.rows("SELECT 1 FROM " + quote(table) + " LIMIT 1", "checking table " + table);
        } catch (const my::ServerError&) {
          missing.push_back(table);
        }
      }
    });
    if (!missing.empty()) {
      throw SourceError(fmt::format(
          "mysql: The tables '{}' are either not present or not accessible for user '{}'.",
          sql::join(missing), s_.connection.user));
    }
  }

  std::vector<std::string> primary_key(const std::string& table, std::stop_token stop) {
    std::vector<std::string> keys;
    retrying(stop, [&] {
      auto& c = connection();
      keys = first_column(
          c.rows("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = " +
                     c.literal(s_.connection.database) + " AND TABLE_NAME = " + c.literal(table) +
                     " AND COLUMN_KEY = 'PRI'",
                 "reading the primary key of " + table));
    });
    return keys;
  }

  // INFORMATION_SCHEMA.TABLES.UPDATE_TIME (naive, server time); "" when NULL
  // (InnoDB until the first change after a restart): the engine then compares content.
  std::string last_update_time(const std::string& table, std::stop_token stop) {
    std::string out;
    retrying(stop, [&] {
      auto& c = connection();
      auto rows =
          c.rows("SELECT UPDATE_TIME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = " +
                     c.literal(s_.connection.database) + " AND TABLE_NAME = " + c.literal(table),
                 "reading the last update time of " + table);
      out = !rows.empty() && !rows[0].empty() && rows[0][0]
                ? sql::iso_datetime(*rows[0][0]).value_or("")
                : "";
    });
    return out;
  }

  // Streams `query` into documents; `make` builds one from the row's values.
  // Returns early (with a warning, no document) when the key columns are not
  // all in the result.
  void stream_documents(const std::string& query, std::string_view what,
                        const std::vector<std::string>& key_names, const json& table_field,
                        const std::vector<std::string>& id_tables, const std::string& timestamp,
                        DocumentSink& sink, std::stop_token stop) {
    retrying(stop, [&] {
      my::Connection& c = connection();
      std::stop_callback cut_on_stop(stop, [&c] { c.abort(); });
      std::vector<my::Column> columns;
      std::vector<int> key_columns;
      bool keys_missing = false;
      long long in_batch = 0;
      c.stream(
          query, what,
          [&](const std::vector<my::Column>& cols) {
            columns = cols;
            for (const auto& key : key_names) {
              int index = column_index(columns, key);
              if (index < 0) keys_missing = true;
              key_columns.push_back(index);
            }
            if (keys_missing) {
              spdlog::warn(
                  "mysql: Skipping query {} for tables {} as primary key column name/id_column is "
                  "not present in query.",
                  query, sql::join(id_tables));
            }
          },
          [&](MYSQL_ROW row, const unsigned long* lengths) {
            if (keys_missing) return false;
            // fetch_size only paces the checks for a stop: the rows stream anyway.
            if (++in_batch >= s_.fetch_size) {
              in_batch = 0;
              if (stop.stop_requested()) throw Cancelled();
            }
            std::vector<sql::Value> values;
            values.reserve(columns.size());
            for (size_t i = 0; i < columns.size(); ++i) {
              values.push_back(my::convert(row[i], lengths[i], columns[i]));
            }
            std::vector<const sql::Value*> keys;
            for (int k : key_columns) keys.push_back(&values[static_cast<size_t>(k)]);
            Document doc;
            doc.id = sql::hash_id(id_tables, keys);
            doc.timestamp = timestamp;
            doc.fields = json::object();
            for (size_t i = 0; i < columns.size(); ++i)
              doc.fields[columns[i].name] = sql::to_json(values[i]);
            doc.fields["Table"] = table_field;
            sink.emit(std::move(doc));
            return true;
          });
    });
  }

  void sync_table(const std::string& table, DocumentSink& sink, std::stop_token stop) {
    auto keys = primary_key(table, stop);
    if (keys.empty()) {
      spdlog::warn(
          "mysql: Skipping table {} from database {} since no primary key is associated with it. "
          "Assign primary key to the table to index it in the next sync interval.",
          table, s_.connection.database);
      return;
    }
    std::string timestamp = last_update_time(table, stop);
    stream_documents("SELECT * FROM " + quote(s_.connection.database) + "." + quote(table),
                     "reading table " + table, keys, json(table), {table}, timestamp, sink, stop);
  }

  void sync_rules(DocumentSink& sink, std::stop_token stop) {
    auto tables = all_tables(stop);
    std::set<std::string> known(tables.begin(), tables.end());
    auto check =
        sql::validate_rule_tables(rules_, [&](const std::string& t) { return known.count(t) > 0; });
    if (!check.valid) throw SourceError("mysql: advanced sync rules are invalid: " + check.message);
    for (const auto& rule : rules_) {
      std::string listed = sql::join(rule.tables);
      spdlog::debug("mysql: Fetching rows from table '{}' in database '{}' with a custom query.",
                    listed, s_.connection.database);
      std::vector<std::string> keys = rule.id_columns;
      if (keys.empty()) {
        for (const auto& table : rule.tables) {
          auto pk = primary_key(table, stop);
          keys.insert(keys.end(), pk.begin(), pk.end());
        }
        std::sort(keys.begin(), keys.end());
        if (keys.empty()) {
          spdlog::warn(
              "mysql: Skipping tables {} from database {} since no primary key is associated with "
              "them. Assign primary key to the tables to index it in the next sync interval.",
              listed, s_.connection.database);
          continue;
        }
        if (has_duplicates(keys)) {
          spdlog::warn(
              "mysql: Skipping custom query for tables {} as there are multiple primary key "
              "columns "
              "with the same name. Consider using 'AS' to uniquely identify primary key columns "
              "from different tables.",
              listed);
          continue;
        }
      }
      std::string timestamp;
      for (const auto& table : rule.tables)
        timestamp = std::max(timestamp, last_update_time(table, stop));
      stream_documents(rule.query, "running the custom query for tables " + listed, keys,
                       json(rule.tables), rule.tables, timestamp, sink, stop);
    }
  }

  Settings s_;
  std::unique_ptr<sql::CertificateFile> ca_file_;
  std::unique_ptr<my::Connection> conn_;
  std::vector<sql::CustomQuery> rules_;
};

Field field(const char* key, const char* label, int order) {
  Field f = make_field(key, label);
  f.order = order;
  return f;
}

Field numeric(const char* key, const char* label, int order, long long value) {
  Field f = field(key, label, order);
  f.type = FieldType::kInt;
  f.display = Display::kNumeric;
  f.value = value;
  return f;
}

}  // namespace

Schema mysql_schema() {
  Field host = field("host", "Host", 1);
  host.value = "127.0.0.1";
  Field port = numeric("port", "Port", 2, 3306);
  Field user = field("user", "Username", 3);
  user.value = "root";
  Field password = field("password", "Password", 4);
  password.value = "changeme";
  password.sensitive = true;
  Field database = field("database", "Database", 5);
  database.value = "customerinfo";
  Field tables = field("tables", "Comma-separated list of tables", 6);
  tables.type = FieldType::kList;
  tables.display = Display::kTextarea;
  tables.value = "*";
  Field ssl_enabled = field("ssl_enabled", "Enable SSL", 7);
  ssl_enabled.type = FieldType::kBool;
  ssl_enabled.display = Display::kToggle;
  ssl_enabled.value = false;
  Field ssl_ca = field("ssl_ca", "SSL certificate", 8);
  ssl_ca.depends_on = {{"ssl_enabled", true}};
  Field fetch_size = numeric("fetch_size", "Rows fetched per request", 9, 50);
  fetch_size.default_value = 50;
  fetch_size.required = false;
  fetch_size.ui_restrictions = {"advanced"};
  Field retry_count = numeric("retry_count", "Retries per request", 10, 3);
  retry_count.default_value = 3;
  retry_count.required = false;
  retry_count.ui_restrictions = {"advanced"};
  return {host,   port,        user,   password,   database,
          tables, ssl_enabled, ssl_ca, fetch_size, retry_count};
}

SourceDescriptor mysql_descriptor() {
  return {"mysql", "MySQL", mysql_schema, [](const Configuration& c) -> std::unique_ptr<Source> {
            Settings s;
            s.connection.host = c.str("host");
            s.connection.port = c.integer("port");
            s.connection.user = c.str("user");
            s.connection.password = c.secret("password");
            s.connection.database = c.str("database");
            if (s.connection.port < 1 || s.connection.port > 65535) {
              throw ConfigError("port", "'Port' (port) must be between 1 and 65535, got " +
                                            std::to_string(s.connection.port));
            }
            s.tables = sql::parse_tables(c.list("tables"));
            s.fetch_size = c.integer("fetch_size");
            if (s.fetch_size < 1) {
              throw ConfigError("fetch_size",
                                "'Rows fetched per request' (fetch_size) must be at least 1");
            }
            long long retries = c.integer("retry_count");
            if (retries < 0) {
              throw ConfigError("retry_count",
                                "'Retries per request' (retry_count) cannot be negative");
            }
            s.attempts = static_cast<int>(std::min(retries, 100LL));
            s.ssl = c.boolean("ssl_enabled");
            if (s.ssl) s.ssl_ca = sql::pem_format(c.str("ssl_ca"));
            return std::make_unique<MySqlSource>(std::move(s));
          }};
}

}  // namespace connectors::sources
