#include "sources/postgresql/postgresql_source.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

#include "core/errors.h"
#include "sources/postgresql/pg_connection.h"
#include "sources/postgresql/pg_values.h"
#include "sources/sql/table_sync.h"

namespace connectors::sources {
namespace {

namespace pg = postgresql;
using json = nlohmann::json;
using sql::LossReport;

// Schemas the framework never crawls; the temporary schemas of other sessions
// cannot be read at all, so they are left out too.
bool crawled_schema(const std::string& schema) {
  return schema != "pg_toast" && schema != "pg_catalog" && schema != "information_schema" &&
         !schema.starts_with("pg_temp_") && !schema.starts_with("pg_toast_temp_");
}

// "name" with embedded quotes doubled (what PQescapeIdentifier does).
std::string quote(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string qualified(const std::string& schema, const std::string& table) {
  return quote(schema) + "." + quote(table);
}

using Settings = sql::Settings<pg::ConnectionSettings>;

struct Table {
  std::string schema;
  std::string name;
};

// The tables of the database: table name -> schemas that hold one by that name.
using Catalog = std::map<std::string, std::vector<std::string>>;

// A table of an advanced rule: "table" or "schema.table".
std::optional<Table> resolve(const Catalog& catalog, const std::string& name,
                             std::string* problem) {
  auto direct = catalog.find(name);
  if (direct == catalog.end()) {
    auto dot = name.find('.');
    if (dot != std::string::npos) {
      auto it = catalog.find(name.substr(dot + 1));
      std::string schema = name.substr(0, dot);
      if (it != catalog.end() &&
          std::find(it->second.begin(), it->second.end(), schema) != it->second.end()) {
        return Table{schema, it->first};
      }
    }
    return std::nullopt;
  }
  const auto& schemas = direct->second;
  if (std::find(schemas.begin(), schemas.end(), "public") != schemas.end())
    return Table{"public", name};
  if (schemas.size() == 1) return Table{schemas.front(), name};
  if (problem) {
    *problem = "table '" + name + "' exists in the schemas " + common::join(schemas) +
               ": write it as schema.table";
  }
  return std::nullopt;
}

std::string strip_query(std::string query) {
  while (!query.empty() &&
         (query.back() == ';' || std::isspace(static_cast<unsigned char>(query.back())))) {
    query.pop_back();
  }
  return query;
}

class PostgresSource final : public sql::TableSyncSource {
 public:
  explicit PostgresSource(Settings settings) : s_(std::move(settings)) {
    if (s_.ssl) {
      ca_file_ = std::make_unique<common::CertificateFile>(s_.ssl_ca);
      s_.connection.ssl_root_cert = ca_file_->path();
    }
  }

  void ping(std::stop_token stop) override {
    retrying(stop, [&] { connection().run("SELECT 1+1", "ping"); });
  }

  std::function<bool(const std::string&)> table_finder(std::stop_token stop) override {
    auto catalog = std::make_shared<Catalog>(table_catalog(stop));
    return
        [catalog](const std::string& name) { return resolve(*catalog, name, nullptr).has_value(); };
  }

  void sync_tables(DocumentSink& sink, std::stop_token stop) override {
    Catalog catalog = table_catalog(stop);
    std::vector<Table> tables;
    if (s_.tables.all) {
      for (const auto& schema : schemas_) {
        for (const auto& [name, schemas] : catalog) {
          if (std::find(schemas.begin(), schemas.end(), schema) != schemas.end()) {
            tables.push_back({schema, name});
          }
        }
      }
    } else {
      std::vector<std::string> missing;
      for (const auto& schema : schemas_) {
        for (const auto& name : s_.tables.names) {
          auto it = catalog.find(name);
          if (it != catalog.end() &&
              std::find(it->second.begin(), it->second.end(), schema) != it->second.end()) {
            tables.push_back({schema, name});
          }
        }
      }
      for (const auto& name : s_.tables.names) {
        if (!catalog.count(name)) missing.push_back(name);
      }
      if (!missing.empty()) {
        throw SourceError(fmt::format(
            "postgresql: The tables '{}' are either not present or not accessible for user '{}' "
            "(database '{}', schemas {})",
            common::join(missing), s_.connection.user, s_.connection.database,
            common::join(schemas_)));
      }
    }
    if (tables.empty()) {
      sink.warn(
          fmt::format("postgresql: database {} has no tables in the schemas {}: nothing to sync",
                      s_.connection.database, common::join(schemas_)));
    }
    for (const auto& table : tables) sync_table(table, sink, stop);
  }

 private:
  pg::Connection& connection() {
    if (!conn_) conn_ = std::make_unique<pg::Connection>(s_.connection);
    return *conn_;
  }

  void retrying(std::stop_token stop, const std::function<void()>& step) {
    common::with_retries(s_.attempts, stop, step, [this] { conn_.reset(); });
  }

  std::vector<std::string> column(const pg::Result& result) {
    std::vector<std::string> out;
    for (int r = 0; r < result.rows(); ++r) out.push_back(result.cell(r, 0).value_or(""));
    return out;
  }

  // Every crawled schema and its tables (views included: they have no
  // primary key and are skipped later, as in the framework).
  Catalog table_catalog(std::stop_token stop) {
    Catalog catalog;
    retrying(stop, [&] {
      catalog.clear();
      schemas_.clear();
      auto& c = connection();
      for (auto& schema : column(c.run("SELECT schema_name FROM information_schema.schemata",
                                       "listing the schemas"))) {
        if (crawled_schema(schema)) schemas_.push_back(schema);
      }
      for (const auto& schema : schemas_) {
        auto names = column(c.run(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = " +
                c.literal(s_.connection.database) + " and table_schema = " + c.literal(schema),
            "listing the tables of schema " + schema));
        for (auto& name : names) catalog[name].push_back(schema);
      }
    });
    return catalog;
  }

  std::vector<std::string> primary_key(const Table& table, std::stop_token stop) {
    std::vector<std::string> keys;
    retrying(stop, [&] {
      auto& c = connection();
      keys = column(c.run(
          "SELECT c.column_name FROM information_schema.table_constraints tc JOIN "
          "information_schema.constraint_column_usage AS ccu USING (constraint_schema, "
          "constraint_name) JOIN information_schema.columns AS c ON c.table_schema = "
          "tc.constraint_schema AND tc.table_name = c.table_name AND ccu.column_name = "
          "c.column_name WHERE constraint_type = 'PRIMARY KEY' and tc.table_name = " +
              c.literal(table.name) + " and tc.constraint_schema = " + c.literal(table.schema),
          "reading the primary key of " + table.schema + "." + table.name));
    });
    keys.erase(std::remove(keys.begin(), keys.end(), ""), keys.end());
    return keys;
  }

  // The commit time of the table's newest row (needs track_commit_timestamp =
  // on); "" when the server cannot tell, and the engine then compares content.
  std::string last_update_time(const Table& table, std::stop_token stop) {
    std::string out;
    retrying(stop, [&] {
      auto& c = connection();
      try {
        auto result = c.run("SELECT MAX(pg_xact_commit_timestamp(xmin)) FROM " +
                                qualified(table.schema, table.name),
                            "reading the last update time of " + table.name);
        auto cell = result.rows() > 0 ? result.cell(0, 0) : std::nullopt;
        out = cell ? sql::iso_datetime(*cell).value_or("") : "";
      } catch (const common::TransientError&) {
        throw;
      } catch (const SourceError& e) {
        spdlog::warn("postgresql: Unable to fetch last_updated_time for {}: {}", table.name,
                     e.what());
        out.clear();
      }
    });
    return out;
  }

  // Learns the column types of `result` that are not built in.
  void resolve_types(const pg::Result& result) {
    std::vector<Oid> oids;
    for (int col = 0; col < result.columns(); ++col) oids.push_back(result.column_type(col));
    auto missing = types_.unknown(oids);
    while (!missing.empty()) {
      auto rows = connection().run(pg::TypeCatalog::catalog_query(missing), "reading column types");
      std::vector<pg::PgTypeRow> learnt;
      for (int r = 0; r < rows.rows(); ++r) {
        pg::PgTypeRow row;
        row.oid = static_cast<Oid>(std::stoll(rows.cell(r, 0).value_or("0")));
        row.typtype = rows.cell(r, 1).value_or("b").front();
        row.typcategory = rows.cell(r, 2).value_or("U").front();
        row.typelem = static_cast<Oid>(std::stoll(rows.cell(r, 3).value_or("0")));
        row.typbasetype = static_cast<Oid>(std::stoll(rows.cell(r, 4).value_or("0")));
        row.element_delimiter = rows.cell(r, 5).value_or(",").front();
        learnt.push_back(row);
      }
      for (Oid oid : missing) {  // unknown to the server too: kept as text
        if (std::none_of(learnt.begin(), learnt.end(),
                         [&](const auto& l) { return l.oid == oid; })) {
          learnt.push_back(pg::PgTypeRow{oid});
        }
      }
      missing = types_.learn(learnt);
    }
  }

  std::vector<sql::Value> row_values(const pg::Result& result, int row) {
    std::vector<sql::Value> values;
    values.reserve(static_cast<size_t>(result.columns()));
    auto info = [this](Oid oid) { return types_.info(oid); };
    for (int col = 0; col < result.columns(); ++col) {
      if (result.is_null(row, col)) {
        values.push_back(sql::Value::null());
      } else {
        values.push_back(
            pg::convert(result.value(row, col), types_.info(result.column_type(col)), info));
      }
    }
    return values;
  }

  // Streams `select` through a server-side cursor, `fetch_size` rows per
  // FETCH; `on_rows` returns false to stop early. The whole stream is retried
  // from the start on a transient failure (`losses` start over too); the
  // losses are reported to `sink` at the end.
  void stream(const std::string& select, std::string_view what, std::stop_token stop,
              LossReport& losses, DocumentSink& sink,
              const std::function<bool(const pg::Result&)>& on_rows) {
    retrying(stop, [&] {
      losses.clear();
      try {
        pg::Connection& c = connection();
        std::stop_callback cancel_on_stop(stop, [&c] { c.cancel(); });
        auto run = [&](const std::string& statement) {
          try {
            return c.run(statement, what);
          } catch (const SourceError&) {
            if (stop.stop_requested()) throw Cancelled();
            throw;
          }
        };
        run("BEGIN READ ONLY");
        run("DECLARE connectors_rows NO SCROLL CURSOR FOR " + select);
        const std::string fetch =
            "FETCH FORWARD " + std::to_string(s_.fetch_size) + " FROM connectors_rows";
        bool first = true;
        while (true) {
          if (stop.stop_requested()) throw Cancelled();
          auto batch = run(fetch);
          if (first) resolve_types(batch);
          bool more = on_rows(batch) && batch.rows() == s_.fetch_size;
          first = false;
          if (!more) break;
        }
        run("CLOSE connectors_rows");
        run("COMMIT");
      } catch (...) {
        conn_.reset();  // a connection left inside the transaction is not reused
        throw;
      }
    });
    losses.report(sink);
  }

  void sync_table(const Table& table, DocumentSink& sink, std::stop_token stop) {
    auto keys = primary_key(table, stop);
    if (keys.empty()) {
      sql::warn_no_primary_key(sink, "postgresql", table.schema + "." + table.name,
                               s_.connection.database);
      return;
    }
    std::string timestamp = last_update_time(table, stop);
    std::vector<std::string> key_names;
    for (const auto& key : keys)
      key_names.push_back(sql::prefixed_column(table.schema, table.name, key));
    std::string select = "SELECT * FROM " + qualified(table.schema, table.name);
    json extra = {
        {"Database", s_.connection.database}, {"Table", table.name}, {"schema", table.schema}};
    LossReport losses("postgresql: table " + table.schema + "." + table.name);
    stream(
        select, "reading " + table.schema + "." + table.name, stop, losses, sink,
        [&](const pg::Result& batch) {
          std::vector<std::string> names;
          for (int col = 0; col < batch.columns(); ++col) {
            names.push_back(sql::prefixed_column(table.schema, table.name, batch.column_name(col)));
          }
          auto key_columns = sql::column_indexes(names, key_names);
          for (int row = 0; row < batch.rows(); ++row) {
            if (stop.stop_requested()) throw Cancelled();
            auto values = row_values(batch, row);
            sink.emit(sql::row_document(
                sql::generic_database_id(s_.connection.database, table.schema, table.name,
                                         sql::pick(values, key_columns)),
                timestamp, names, values, extra, losses));
          }
          return true;
        });
  }

  void sync_rules(DocumentSink& sink, std::stop_token stop) override {
    Catalog catalog = table_catalog(stop);
    sql::RulesValidation tables_check;
    const auto& queries = rules();
    for (size_t i = 0; i < queries.size() && tables_check.valid; ++i) {
      for (const auto& name : queries[i].tables) {
        std::string problem;
        if (!resolve(catalog, name, &problem) && !problem.empty()) {
          tables_check = {false, "data[" + std::to_string(i) + "]: " + problem};
        }
      }
    }
    if (tables_check.valid) {
      tables_check = sql::validate_rule_tables(queries, [&](const std::string& name) {
        return resolve(catalog, name, nullptr).has_value();
      });
    }
    if (!tables_check.valid) {
      throw SourceError("postgresql: advanced sync rules are invalid: " + tables_check.message);
    }
    for (size_t i = 0; i < queries.size(); ++i) {
      std::vector<Table> tables;
      for (const auto& name : queries[i].tables) tables.push_back(*resolve(catalog, name, nullptr));
      for (const auto& t : tables) {
        if (t.schema != tables.front().schema) {
          throw SourceError(
              fmt::format("postgresql: advanced sync rule data[{}] lists tables of different "
                          "schemas ({} and {}): "
                          "a rule reads tables of one schema",
                          i, tables.front().schema, t.schema));
        }
      }
      sync_rule(queries[i], tables, sink, stop);
    }
  }

  void sync_rule(const sql::CustomQuery& rule, const std::vector<Table>& tables, DocumentSink& sink,
                 std::stop_token stop) {
    const std::string& schema = tables.front().schema;
    std::vector<std::string> names_of_tables;
    for (const auto& t : tables) names_of_tables.push_back(t.name);
    std::string listed = common::join(rule.tables);
    std::vector<std::string> keys = sql::rule_keys(
        rule, tables.size(), [&](size_t i) { return primary_key(tables[i], stop); }, "postgresql",
        s_.connection.database,
        fmt::format("postgresql: Skipping custom query for tables {} as there are multiple tables "
                    "with same primary key column name.",
                    listed),
        sink);
    if (keys.empty()) return;
    std::vector<std::string> key_names;
    for (const auto& key : keys)
      key_names.push_back(sql::mapped_column(schema, names_of_tables, key));
    std::string timestamp;
    for (const auto& t : tables) {
      // Same format for all ("...+00:00", microseconds only when not zero), in
      // which text order is time order.
      timestamp = std::max(timestamp, last_update_time(t, stop));
    }
    json extra = {{"Database", s_.connection.database}, {"Table", rule.tables}, {"schema", schema}};
    std::string query = strip_query(rule.query);
    LossReport losses("postgresql: custom query of tables " + listed);
    stream(query, "running the custom query for tables " + listed, stop, losses, sink,
           [&](const pg::Result& batch) {
             std::vector<std::string> names;
             for (int col = 0; col < batch.columns(); ++col) {
               names.push_back(sql::mapped_column(schema, names_of_tables, batch.column_name(col)));
             }
             std::vector<int> key_columns;
             for (const auto& key : key_names) {
               int index = sql::column_index(names, key);
               if (index < 0) {
                 sql::warn_keys_not_in_query(sink, "postgresql", rule);
                 return false;
               }
               key_columns.push_back(index);
             }
             for (int row = 0; row < batch.rows(); ++row) {
               if (stop.stop_requested()) throw Cancelled();
               auto values = row_values(batch, row);
               std::string id = s_.connection.database + "_" + schema + "_" +
                                sql::hash_id(names_of_tables, sql::pick(values, key_columns));
               sink.emit(sql::row_document(std::move(id), timestamp, names, values, extra, losses));
             }
             return true;
           });
  }

  Settings s_;
  std::unique_ptr<common::CertificateFile> ca_file_;
  std::unique_ptr<pg::Connection> conn_;
  pg::TypeCatalog types_;
  std::vector<std::string> schemas_;
};

}  // namespace

Schema postgresql_schema() {
  Schema schema = sql::endpoint_fields("username");
  for (auto& f : sql::request_fields(7)) schema.push_back(std::move(f));
  for (auto& f : sql::ssl_fields(9, "Enable SSL verification")) schema.push_back(std::move(f));
  return schema;
}

SourceDescriptor postgresql_descriptor() {
  return {"postgresql", "PostgreSQL", postgresql_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            Settings s;
            sql::read_settings(c, "username", s.connection, s);
            return std::make_unique<PostgresSource>(std::move(s));
          },
          Capabilities{.advanced_rules = true}};
}

}  // namespace connectors::sources
