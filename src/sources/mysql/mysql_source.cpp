#include "sources/mysql/mysql_source.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <set>

#include "core/errors.h"
#include "sources/mysql/mysql_connection.h"
#include "sources/sql/table_sync.h"

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

using Settings = sql::Settings<my::ConnectionSettings>;

class MySqlSource final : public sql::TableSyncSource {
 public:
  explicit MySqlSource(Settings settings) : s_(std::move(settings)) {
    if (s_.ssl) {
      ca_file_ = std::make_unique<common::CertificateFile>(s_.ssl_ca);
      s_.connection.ssl_ca = ca_file_->path();
    }
  }

  void ping(std::stop_token stop) override {
    retrying(stop, [&] { connection().ping(); });
  }

  std::function<bool(const std::string&)> table_finder(std::stop_token stop) override {
    auto tables = all_tables(stop);
    auto known = std::make_shared<std::set<std::string>>(tables.begin(), tables.end());
    return [known](const std::string& t) { return known->count(t) > 0; };
  }

  void sync_tables(DocumentSink& sink, std::stop_token stop) override {
    std::vector<std::string> tables;
    if (s_.tables.all) {
      tables = all_tables(stop);
    } else {
      check_tables(s_.tables.names, stop);
      tables = s_.tables.names;
    }
    if (tables.empty()) {
      sink.warn("mysql: database " + s_.connection.database + " has no tables: nothing to sync");
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
    common::with_retries(
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
          common::join(missing), s_.connection.user));
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

  // INFORMATION_SCHEMA.TABLES.UPDATE_TIME (naive, in the session's UTC); "" when NULL
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

  // Streams `query` (a table's, or `rule`'s) into documents. Returns early
  // (with a warning to the job, no document) when the key columns are not all
  // in the result.
  void stream_documents(const std::string& query, std::string_view what,
                        const std::vector<std::string>& key_names, const json& table_field,
                        const std::vector<std::string>& id_tables, const std::string& timestamp,
                        const sql::CustomQuery* rule, DocumentSink& sink, std::stop_token stop) {
    sql::LossReport losses(rule ? "mysql: custom query of tables " + common::join(rule->tables)
                                : "mysql: table " + id_tables.front());
    retrying(stop, [&] {
      losses.clear();
      my::Connection& c = connection();
      std::stop_callback cut_on_stop(stop, [&c] { c.abort(); });
      std::vector<my::Column> columns;
      std::vector<std::string> names;
      std::vector<int> key_columns;
      bool keys_missing = false;
      long long in_batch = 0;
      c.stream(
          query, what,
          [&](const std::vector<my::Column>& cols) {
            columns = cols;
            for (const auto& column : columns) names.push_back(column.name);
            key_columns = sql::column_indexes(names, key_names);
            keys_missing =
                std::find(key_columns.begin(), key_columns.end(), -1) != key_columns.end();
            if (keys_missing && rule) sql::warn_keys_not_in_query(sink, "mysql", *rule);
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
            sink.emit(sql::row_document(sql::hash_id(id_tables, sql::pick(values, key_columns)),
                                        timestamp, names, values, {{"Table", table_field}},
                                        losses));
            return true;
          });
    });
    losses.report(sink);
  }

  void sync_table(const std::string& table, DocumentSink& sink, std::stop_token stop) {
    auto keys = primary_key(table, stop);
    if (keys.empty()) {
      sql::warn_no_primary_key(sink, "mysql", table, s_.connection.database);
      return;
    }
    std::string timestamp = last_update_time(table, stop);
    stream_documents("SELECT * FROM " + quote(s_.connection.database) + "." + quote(table),
                     "reading table " + table, keys, json(table), {table}, timestamp, nullptr, sink,
                     stop);
  }

  void sync_rules(DocumentSink& sink, std::stop_token stop) override {
    auto check = sql::validate_rule_tables(rules(), table_finder(stop));
    if (!check.valid) throw SourceError("mysql: advanced sync rules are invalid: " + check.message);
    for (const auto& rule : rules()) {
      std::string listed = common::join(rule.tables);
      spdlog::debug("mysql: Fetching rows from table '{}' in database '{}' with a custom query.",
                    listed, s_.connection.database);
      std::vector<std::string> keys = sql::rule_keys(
          rule, rule.tables.size(), [&](size_t i) { return primary_key(rule.tables[i], stop); },
          "mysql", s_.connection.database,
          fmt::format("mysql: Skipping custom query for tables {} as there are multiple primary "
                      "key columns with the same name. Consider using 'AS' to uniquely identify "
                      "primary key columns from different tables.",
                      listed),
          sink);
      if (keys.empty()) continue;
      std::string timestamp;
      for (const auto& table : rule.tables)
        timestamp = std::max(timestamp, last_update_time(table, stop));
      stream_documents(rule.query, "running the custom query for tables " + listed, keys,
                       json(rule.tables), rule.tables, timestamp, &rule, sink, stop);
    }
  }

  Settings s_;
  std::unique_ptr<common::CertificateFile> ca_file_;
  std::unique_ptr<my::Connection> conn_;
};

}  // namespace

Schema mysql_schema() {
  Schema schema = sql::endpoint_fields("user");
  for (auto& f : sql::ssl_fields(7, "Enable SSL")) schema.push_back(std::move(f));
  for (auto& f : sql::request_fields(9)) schema.push_back(std::move(f));
  return schema;
}

SourceDescriptor mysql_descriptor() {
  return {"mysql", "MySQL", mysql_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            Settings s;
            sql::read_settings(c, "user", s.connection, s);
            return std::make_unique<MySqlSource>(std::move(s));
          },
          Capabilities{.advanced_rules = true}};
}

}  // namespace connectors::sources
