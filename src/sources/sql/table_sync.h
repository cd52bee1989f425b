// What the SQL sources (MySQL, PostgreSQL) share above their connections:
// the settings every one of them reads, the pieces of their schemas, the
// documents they make from rows, the key columns of a custom query, and the
// driver that runs either the configured tables or the advanced sync rules.
// Each database supplies its own catalog queries, streaming and ids.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "sources/common/connection_support.h"
#include "sources/configuration.h"
#include "sources/source.h"
#include "sources/sql/advanced_rules.h"
#include "sources/sql/documents.h"
#include "sources/sql/values.h"

namespace connectors::sources::sql {

// The settings of a SQL source besides its endpoint.
struct SourceSettings {
  TableSelection tables;
  long long fetch_size = 50;
  int attempts = 3;
  bool ssl = false;
  std::string ssl_ca;  // PEM
};

template <class ConnectionSettings>
struct Settings : SourceSettings {
  ConnectionSettings connection;
};

// Reads host, port, `user_key`, password and database into `endpoint` and the
// rest into `settings`, with the framework's checks (ConfigError naming the key).
void read_settings(const Configuration& c, const std::string& user_key, common::Endpoint& endpoint,
                   SourceSettings& settings);

// Schema pieces, at the framework's defaults.
Field numeric_field(const char* key, const char* label, int order, long long value);
// host, port, the user, password, database (required, no default) and tables
// (default `*`), orders 1 to 6.
Schema endpoint_fields(const char* user_key);
// ssl_enabled and ssl_ca, at `order` and the next.
Schema ssl_fields(int order, const char* ssl_label);
// fetch_size and retry_count, at `order` and the next.
Schema request_fields(int order);

bool has_duplicates(std::vector<std::string> items);

// Index of the last column called `name` (dict(zip(...)) keeps the last one); -1 if none.
int column_index(const std::vector<std::string>& names, const std::string& name);

// column_index of each key.
std::vector<int> column_indexes(const std::vector<std::string>& names,
                                const std::vector<std::string>& keys);

// The values at `indexes`, nullptr where an index is negative.
std::vector<const Value*> pick(const std::vector<Value>& values, const std::vector<int>& indexes);

// The values of one table or custom query that could not be sent as they are
// (to_json's Loss), counted per column and reported to the job once the rows
// are read: the column, how many, what was sent instead, and the first row's
// id. Cleared when a failed read starts over.
class LossReport {
 public:
  // `what` names the rows: "postgresql: table public.odd".
  explicit LossReport(std::string what) : what_(std::move(what)) {}
  void note(const std::string& column, Loss loss, const std::string& id);
  void clear() { entries_.clear(); }
  void report(DocumentSink& sink) const;

 private:
  struct Entry {
    std::string column;
    Loss loss;
    std::string first_id;
    long long count;
  };
  std::string what_;
  std::vector<Entry> entries_;
};

// The document of one row: every column under its name (a later column wins),
// then the `extra` fields. Values sent otherwise than they are go to `losses`.
Document row_document(std::string id, const std::string& timestamp,
                      const std::vector<std::string>& names, const std::vector<Value>& values,
                      const nlohmann::json& extra, LossReport& losses);

// Tells the job that a table is left out for want of a primary key.
void warn_no_primary_key(DocumentSink& sink, std::string_view source, std::string_view table,
                         std::string_view database);

// The key columns of a custom query: its id_columns, or else the primary keys
// of its `table_count` tables, sorted. Empty, with a warning to the job, when
// the tables have none or two keys share a name (`duplicate_warning`, the
// source's text).
std::vector<std::string> rule_keys(
    const CustomQuery& rule, size_t table_count,
    const std::function<std::vector<std::string>(size_t)>& primary_key, std::string_view source,
    std::string_view database, std::string_view duplicate_warning, DocumentSink& sink);

// Tells the job that a custom query is skipped: its result lacks key columns.
void warn_keys_not_in_query(DocumentSink& sink, std::string_view source, const CustomQuery& rule);

// An AdvancedRulesSource that syncs the configured tables, or the custom
// queries once the engine has handed it rules.
class TableSyncSource : public AdvancedRulesSource {
 public:
  void set_advanced_rules(const nlohmann::json& value) final;
  RulesValidation validate_advanced_rules(const nlohmann::json& value, std::stop_token stop) final;
  void documents(DocumentSink& sink, std::stop_token stop) final;

 protected:
  // Whether a table named in a rule exists, read from the server once.
  virtual std::function<bool(const std::string&)> table_finder(std::stop_token stop) = 0;
  virtual void sync_tables(DocumentSink& sink, std::stop_token stop) = 0;
  // Runs rules(), which is not empty.
  virtual void sync_rules(DocumentSink& sink, std::stop_token stop) = 0;

  const std::vector<CustomQuery>& rules() const { return rules_; }

 private:
  std::vector<CustomQuery> rules_;
};

}  // namespace connectors::sources::sql
