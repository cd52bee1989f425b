#include "sources/odbc/table_source.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "sources/common/python_text.h"

namespace connectors::sources::odbc {

std::vector<Table> Dialect::resolve_tables(const std::vector<std::string>& names,
                                           const std::vector<Table>& catalog,
                                           std::vector<std::string>& missing) const {
  std::vector<Table> out;
  for (const auto& name : names) {
    const Table* found = nullptr;
    for (const auto& t : catalog) {
      if (t.name == name) {
        found = &t;
        break;
      }
    }
    if (!found) {  // unquoted names fold to the catalog's case
      for (const auto& t : catalog) {
        if (common::lower(t.name) == common::lower(name)) {
          found = &t;
          break;
        }
      }
    }
    if (found) {
      out.push_back(*found);
    } else {
      missing.push_back(name);
    }
  }
  return out;
}

std::string Dialect::timestamp(const std::optional<sql::Value>& cell) const {
  if (!cell) return "";
  if (cell->kind == sql::Kind::kDateTime) return cell->text;
  if (cell->kind == sql::Kind::kText) return sql::iso_datetime(cell->text).value_or("");
  return "";
}

std::string Dialect::display(const Table& table) const {
  return table.schema.empty() ? table.name : table.schema + "." + table.name;
}

void require_driver(const Environment& env, std::string_view source, const std::string& driver,
                    std::string_view hint) {
  if (driver.find('/') != std::string::npos) {
    if (std::filesystem::exists(driver)) return;
    throw SourceError(fmt::format("{}: the ODBC driver library {} does not exist{}", source, driver,
                                  hint.empty() ? "" : std::string(": ") + std::string(hint)));
  }
  auto installed = env.drivers();
  for (const auto& d : installed) {
    if (common::lower(d) == common::lower(driver)) return;
  }
  throw SourceError(fmt::format(
      "{}: the ODBC driver '{}' is not installed; the installed drivers are: {} (odbcinst -q -d "
      "lists them, from the odbcinst.ini that odbcinst -j names){}",
      source, driver, installed.empty() ? "none" : common::join(installed),
      hint.empty() ? "" : std::string(". ") + std::string(hint)));
}

TableSource::TableSource(Settings settings, std::unique_ptr<Dialect> dialect)
    : s_(std::move(settings)), dialect_(std::move(dialect)) {}

TableSource::~TableSource() = default;

std::string TableSource::check_driver() {
  if (!env_) env_ = std::make_unique<Environment>();
  std::string driver = dialect_->driver(*env_);
  require_driver(*env_, dialect_->name(), driver, dialect_->driver_hint());
  return driver;
}

Connection& TableSource::connection() {
  if (!conn_) {
    std::string driver = check_driver();
    auto connection =
        std::make_unique<Connection>(*env_, dialect_->connection_string(driver),
                                     dialect_->name() + " on " + common::describe(s_.endpoint),
                                     s_.endpoint.password.reveal(), s_.timeouts);
    for (const auto& statement : dialect_->session_setup()) {
      Statement(*connection).execute(statement, "setting up the session");
    }
    conn_ = std::move(connection);
  }
  return *conn_;
}

void TableSource::retrying(std::stop_token stop, const std::function<void()>& step) {
  common::with_retries(
      s_.attempts, stop,
      [&] {
        try {
          step();
        } catch (const SourceError&) {
          conn_.reset();  // never reuse a connection after a failure (issue #3723)
          if (stop.stop_requested()) throw Cancelled();
          throw;
        }
      },
      [this] { conn_.reset(); });
}

std::vector<std::string> TableSource::catalog(const std::string& sql, std::string_view what) {
  Statement statement(connection());
  statement.execute(sql, what);
  return statement.first_column(what);
}

void TableSource::ping(std::stop_token stop) {
  try {
    retrying(stop, [&] { catalog(dialect_->ping_query(), "ping"); });
  } catch (const SourceError& e) {
    throw SourceError(fmt::format("Can't connect to {} on {}: {}", dialect_->label(),
                                  s_.endpoint.host, e.what()));
  }
}

std::vector<Table> TableSource::tables(std::stop_token stop) {
  std::vector<Table> catalog_tables;
  retrying(stop, [&] {
    catalog_tables = dialect_->all_tables(
        [&](const std::string& sql) { return catalog(sql, "listing the tables"); });
  });
  std::vector<Table> out;
  if (s_.tables.all) {
    out = catalog_tables;
  } else {
    std::vector<std::string> missing;
    out = dialect_->resolve_tables(s_.tables.names, catalog_tables, missing);
    if (!missing.empty()) {
      throw SourceError(fmt::format(
          "{}: The tables '{}' are either not present or not accessible for user "
          "'{}' (database '{}')",
          dialect_->name(), common::join(missing), s_.endpoint.user, s_.endpoint.database));
    }
  }
  std::erase_if(out, [&](const Table& t) { return dialect_->skipped(t); });
  return out;
}

void TableSource::documents(DocumentSink& sink, std::stop_token stop) {
  auto list = tables(stop);
  if (list.empty()) {
    sink.warn(fmt::format("{}: database {} has no tables: nothing to sync", dialect_->name(),
                          s_.endpoint.database));
  }
  for (const auto& table : list) sync_table(table, sink, stop);
}

void TableSource::sync_table(const Table& table, DocumentSink& sink, std::stop_token stop) {
  std::string shown = dialect_->display(table);
  long long count = 0;
  std::vector<std::string> keys;
  retrying(stop, [&] {
    auto counted = catalog(dialect_->count_query(table), "counting the rows of " + shown);
    count = counted.empty() ? 0 : std::stoll(counted.front());
    keys = catalog(dialect_->primary_key_query(table), "reading the primary key of " + shown);
  });
  if (count == 0) {
    spdlog::info("{}: No rows found for {}.", dialect_->name(), shown);
    return;
  }
  std::erase(keys, "");
  if (keys.empty()) {
    sql::warn_no_primary_key(sink, dialect_->name(), shown, s_.endpoint.database);
    return;
  }
  // The table's last update; a failure (no permission, ORA-08181) is not fatal.
  std::string timestamp;
  retrying(stop, [&] {
    std::string sql = dialect_->last_update_query(table);
    if (sql.empty()) return;
    try {
      Statement statement(connection());
      statement.execute(sql, "reading the last update time of " + shown);
      ResultReader reader(statement, 1, "reading the last update time of " + shown,
                          [&](const Column& c) { return dialect_->fetch_of(c); });
      std::optional<sql::Value> cell;
      if (reader.fetch() > 0 && !reader.columns().empty() && !reader.null(0, 0)) {
        cell = dialect_->convert(reader, 0, 0);
      }
      timestamp = dialect_->timestamp(cell);
    } catch (const common::TransientError&) {
      throw;
    } catch (const SourceError& e) {
      spdlog::warn("{}: Unable to fetch last_updated_time for {}: {}", dialect_->name(), shown,
                   e.what());
      timestamp.clear();
    }
  });

  std::vector<std::string> key_names;
  for (const auto& key : keys) key_names.push_back(dialect_->column_name(table, key));
  nlohmann::json extra = dialect_->extra_fields(table);
  sql::LossReport losses(dialect_->name() + ": table " + shown);
  std::string what = "reading " + shown;
  retrying(stop, [&] {
    losses.clear();
    Statement statement(connection());
    std::stop_callback cancel_on_stop(stop, [&statement] { statement.cancel(); });
    statement.execute(dialect_->data_query(table), what);
    ResultReader reader(
        statement, s_.fetch_size, what, [&](const Column& c) { return dialect_->fetch_of(c); },
        dialect_->positioned_long_reads());
    std::vector<std::string> names;
    for (const auto& column : reader.columns()) {
      names.push_back(dialect_->column_name(table, column.name));
    }
    auto key_columns = sql::column_indexes(names, key_names);
    std::vector<sql::Value> values(names.size());
    while (size_t rows = reader.fetch()) {
      if (stop.stop_requested()) throw Cancelled();
      for (size_t row = 0; row < rows; ++row) {
        for (size_t c = 0; c < names.size(); ++c) values[c] = dialect_->convert(reader, row, c);
        sink.emit(sql::row_document(dialect_->document_id(table, sql::pick(values, key_columns)),
                                    timestamp, names, values, extra, losses));
      }
    }
  });
  losses.report(sink);
}

}  // namespace connectors::sources::odbc
