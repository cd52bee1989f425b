#include "sources/postgresql/postgresql_source.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "core/errors.h"
#include "sources/postgresql/pg_connection.h"
#include "sources/postgresql/pg_values.h"
#include "sources/sql/advanced_rules.h"
#include "sources/sql/connection_support.h"
#include "sources/sql/documents.h"

namespace connectors::sources {
namespace {

namespace pg = postgresql;
using json = nlohmann::json;

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

struct Settings {
  pg::ConnectionSettings connection;
  sql::TableSelection tables;
  long long fetch_size = 50;
  int attempts = 3;
  bool ssl = false;
  std::string ssl_ca;  // PEM
};

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
    *problem = "table '" + name + "' exists in the schemas " + sql::join(schemas) +
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

bool has_duplicates(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return std::adjacent_find(items.begin(), items.end()) != items.end();
}

// Index of the last column called `name` (dict(zip(...)) keeps the last one).
int column_index(const std::vector<std::string>& names, const std::string& name) {
  for (int i = static_cast<int>(names.size()) - 1; i >= 0; --i) {
    if (names[static_cast<size_t>(i)] == name) return i;
  }
  return -1;
}

class PostgresSource final : public sql::AdvancedRulesSource {
 public:
  explicit PostgresSource(Settings settings) : s_(std::move(settings)) {
    if (s_.ssl) {
      ca_file_ = std::make_unique<sql::CertificateFile>(s_.ssl_ca);
      s_.connection.ssl_root_cert = ca_file_->path();
    }
  }

  void ping(std::stop_token stop) override {
    retrying(stop, [&] { connection().run("SELECT 1+1", "ping"); });
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
    Catalog catalog = table_catalog(stop);
    return sql::validate_rule_tables(queries, [&](const std::string& name) {
      return resolve(catalog, name, nullptr).has_value();
    });
  }

  void documents(DocumentSink& sink, std::stop_token stop) override {
    if (!rules_.empty()) {
      sync_rules(sink, stop);
      return;
    }
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
            sql::join(missing), s_.connection.user, s_.connection.database, sql::join(schemas_)));
      }
    }
    if (tables.empty()) {
      spdlog::warn("postgresql: Fetched 0 tables for the database: {}", s_.connection.database);
    }
    for (const auto& table : tables) sync_table(table, sink, stop);
  }

 private:
  pg::Connection& connection() {
    if (!conn_) conn_ = std::make_unique<pg::Connection>(s_.connection);
    return *conn_;
  }

  void retrying(std::stop_token stop, const std::function<void()>& step) {
    sql::with_retries(s_.attempts, stop, step, [this] { conn_.reset(); });
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
      } catch (const sql::TransientError&) {
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
  // from the start on a transient failure.
  void stream(const std::string& select, std::string_view what, std::stop_token stop,
              const std::function<bool(const pg::Result&)>& on_rows) {
    retrying(stop, [&] {
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
  }

  void sync_table(const Table& table, DocumentSink& sink, std::stop_token stop) {
    auto keys = primary_key(table, stop);
    if (keys.empty()) {
      spdlog::warn(
          "postgresql: Skipping {} table from database {} since no primary key is associated with "
          "it. Assign primary key to the table to index it in the next sync interval.",
          table.name, s_.connection.database);
      return;
    }
    std::string timestamp = last_update_time(table, stop);
    std::vector<std::string> key_names;
    for (const auto& key : keys)
      key_names.push_back(sql::prefixed_column(table.schema, table.name, key));
    std::string select = "SELECT * FROM " + qualified(table.schema, table.name);
    stream(
        select, "reading " + table.schema + "." + table.name, stop, [&](const pg::Result& batch) {
          std::vector<std::string> names;
          for (int col = 0; col < batch.columns(); ++col) {
            names.push_back(sql::prefixed_column(table.schema, table.name, batch.column_name(col)));
          }
          std::vector<int> key_columns;
          for (const auto& key : key_names) key_columns.push_back(column_index(names, key));
          for (int row = 0; row < batch.rows(); ++row) {
            if (stop.stop_requested()) throw Cancelled();
            auto values = row_values(batch, row);
            std::vector<const sql::Value*> key_values;
            for (int k : key_columns)
              key_values.push_back(k < 0 ? nullptr : &values[static_cast<size_t>(k)]);
            Document doc;
            doc.id = sql::generic_database_id(s_.connection.database, table.schema, table.name,
                                              key_values);
            doc.timestamp = timestamp;
            doc.fields = json::object();
            for (size_t col = 0; col < names.size(); ++col)
              doc.fields[names[col]] = sql::to_json(values[col]);
            doc.fields["Database"] = s_.connection.database;
            doc.fields["Table"] = table.name;
            doc.fields["schema"] = table.schema;
            sink.emit(std::move(doc));
          }
          return true;
        });
  }

  void sync_rules(DocumentSink& sink, std::stop_token stop) {
    Catalog catalog = table_catalog(stop);
    sql::RulesValidation tables_check;
    for (size_t i = 0; i < rules_.size() && tables_check.valid; ++i) {
      for (const auto& name : rules_[i].tables) {
        std::string problem;
        if (!resolve(catalog, name, &problem) && !problem.empty()) {
          tables_check = {false, "data[" + std::to_string(i) + "]: " + problem};
        }
      }
    }
    if (tables_check.valid) {
      tables_check = sql::validate_rule_tables(rules_, [&](const std::string& name) {
        return resolve(catalog, name, nullptr).has_value();
      });
    }
    if (!tables_check.valid) {
      throw SourceError("postgresql: advanced sync rules are invalid: " + tables_check.message);
    }
    for (size_t i = 0; i < rules_.size(); ++i) {
      std::vector<Table> tables;
      for (const auto& name : rules_[i].tables) tables.push_back(*resolve(catalog, name, nullptr));
      for (const auto& t : tables) {
        if (t.schema != tables.front().schema) {
          throw SourceError(
              fmt::format("postgresql: advanced sync rule data[{}] lists tables of different "
                          "schemas ({} and {}): "
                          "a rule reads tables of one schema",
                          i, tables.front().schema, t.schema));
        }
      }
      sync_rule(rules_[i], tables, sink, stop);
    }
  }

  void sync_rule(const sql::CustomQuery& rule, const std::vector<Table>& tables, DocumentSink& sink,
                 std::stop_token stop) {
    const std::string& schema = tables.front().schema;
    std::vector<std::string> names_of_tables;
    for (const auto& t : tables) names_of_tables.push_back(t.name);
    std::string listed = sql::join(rule.tables);
    std::vector<std::string> keys = rule.id_columns;
    if (keys.empty()) {
      for (const auto& t : tables) {
        auto pk = primary_key(t, stop);
        keys.insert(keys.end(), pk.begin(), pk.end());
      }
      std::sort(keys.begin(), keys.end());
      if (keys.empty()) {
        spdlog::warn(
            "postgresql: Skipping tables {} from database {} since no primary key is associated "
            "with them. Assign primary key to the tables to index it in the next sync interval.",
            listed, s_.connection.database);
        return;
      }
      if (has_duplicates(keys)) {
        spdlog::warn(
            "postgresql: Skipping custom query for tables {} as there are multiple tables with "
            "same primary key column name.",
            listed);
        return;
      }
    }
    std::vector<std::string> key_names;
    for (const auto& key : keys)
      key_names.push_back(sql::mapped_column(schema, names_of_tables, key));
    std::string timestamp;
    for (const auto& t : tables) {
      // Same format for all ("...+00:00", microseconds only when not zero), in
      // which text order is time order.
      timestamp = std::max(timestamp, last_update_time(t, stop));
    }
    json table_field = rule.tables;
    std::string query = strip_query(rule.query);
    stream(
        query, "running the custom query for tables " + listed, stop, [&](const pg::Result& batch) {
          std::vector<std::string> names;
          for (int col = 0; col < batch.columns(); ++col) {
            names.push_back(sql::mapped_column(schema, names_of_tables, batch.column_name(col)));
          }
          std::vector<int> key_columns;
          for (const auto& key : key_names) {
            int index = column_index(names, key);
            if (index < 0) {
              spdlog::warn(
                  "postgresql: Skipping query {} for tables {} as primary key column name is not "
                  "present in query.",
                  rule.query, listed);
              return false;
            }
            key_columns.push_back(index);
          }
          for (int row = 0; row < batch.rows(); ++row) {
            if (stop.stop_requested()) throw Cancelled();
            auto values = row_values(batch, row);
            std::vector<const sql::Value*> key_values;
            for (int k : key_columns) key_values.push_back(&values[static_cast<size_t>(k)]);
            Document doc;
            doc.id = s_.connection.database + "_" + schema + "_" +
                     sql::hash_id(names_of_tables, key_values);
            doc.timestamp = timestamp;
            doc.fields = json::object();
            for (size_t col = 0; col < names.size(); ++col)
              doc.fields[names[col]] = sql::to_json(values[col]);
            doc.fields["Database"] = s_.connection.database;
            doc.fields["Table"] = table_field;
            doc.fields["schema"] = schema;
            sink.emit(std::move(doc));
          }
          return true;
        });
  }

  Settings s_;
  std::unique_ptr<sql::CertificateFile> ca_file_;
  std::unique_ptr<pg::Connection> conn_;
  pg::TypeCatalog types_;
  std::vector<std::string> schemas_;
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

Schema postgresql_schema() {
  Field host = field("host", "Host", 1);
  host.value = "127.0.0.1";
  Field port = numeric("port", "Port", 2, 9090);
  Field username = field("username", "Username", 3);
  username.value = "admin";
  Field password = field("password", "Password", 4);
  password.value = "Password_123";
  password.sensitive = true;
  Field database = field("database", "Database", 5);
  database.value = "xe";
  Field tables = field("tables", "Comma-separated list of tables", 6);
  tables.type = FieldType::kList;
  tables.display = Display::kTextarea;
  tables.value = "*";
  Field fetch_size = numeric("fetch_size", "Rows fetched per request", 7, 50);
  fetch_size.default_value = 50;
  fetch_size.required = false;
  fetch_size.ui_restrictions = {"advanced"};
  Field retry_count = numeric("retry_count", "Retries per request", 8, 3);
  retry_count.default_value = 3;
  retry_count.required = false;
  retry_count.ui_restrictions = {"advanced"};
  Field ssl_enabled = field("ssl_enabled", "Enable SSL verification", 9);
  ssl_enabled.type = FieldType::kBool;
  ssl_enabled.display = Display::kToggle;
  ssl_enabled.value = false;
  Field ssl_ca = field("ssl_ca", "SSL certificate", 10);
  ssl_ca.depends_on = {{"ssl_enabled", true}};
  return {host,   port,       username,    password,    database,
          tables, fetch_size, retry_count, ssl_enabled, ssl_ca};
}

SourceDescriptor postgresql_descriptor() {
  return {"postgresql", "PostgreSQL", postgresql_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            Settings s;
            s.connection.host = c.str("host");
            s.connection.port = c.integer("port");
            s.connection.user = c.str("username");
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
            return std::make_unique<PostgresSource>(std::move(s));
          }};
}

}  // namespace connectors::sources
