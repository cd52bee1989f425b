#include "sources/mongodb/mongodb_source.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "core/errors.h"
#include "sources/common/connection_support.h"
#include "sources/common/python_text.h"
#include "sources/mongodb/bson_values.h"
#include "sources/mongodb/mongo_connection.h"
#include "sources/mongodb/mongo_rules.h"

namespace connectors::sources {
namespace {

using json = nlohmann::json;
namespace mg = mongodb;

// Documents per cursor batch (the driver's first batch is 101 by default, then
// 16 MiB): bounded, so memory does not grow with the collection.
constexpr int kBatchSize = 100;
// Attempts per step on a transient failure (sleeps of 2 s and 4 s between).
constexpr int kAttempts = 3;

struct Settings {
  mg::ConnectionSettings connection;
  std::string ssl_ca;  // PEM
  std::string database;
  std::string collection;
  mg::DateConversion dates = mg::DateConversion::kDatetime;
};

struct CursorDeleter {
  void operator()(mongoc_cursor_t* c) const { mongoc_cursor_destroy(c); }
};
struct CollectionDeleter {
  void operator()(mongoc_collection_t* c) const { mongoc_collection_destroy(c); }
};

class MongoSource final : public AdvancedRulesSource {
 public:
  explicit MongoSource(Settings settings) : s_(std::move(settings)) {
    if (s_.connection.tls && !s_.ssl_ca.empty()) {
      ca_file_ = std::make_unique<common::CertificateFile>(common::pem_format(s_.ssl_ca));
      s_.connection.ca_file = ca_file_->path();
    }
    plan_ = mg::make_plan(json::object(), kBatchSize);  // checks nothing: a find of everything
  }

  void ping(std::stop_token stop) override {
    retrying(stop, [&] { connection().ping(); });
  }

  void set_advanced_rules(const json& value) override { plan_ = mg::make_plan(value, kBatchSize); }

  RulesValidation validate_advanced_rules(const json& value, std::stop_token) override {
    try {
      mg::make_plan(value, kBatchSize);
    } catch (const ConfigError& e) {
      std::string message = e.what();
      const std::string prefix = e.key() + ": ";
      if (message.starts_with(prefix)) message.erase(0, prefix.size());
      return {false, message};
    }
    return {};
  }

  void documents(DocumentSink& sink, std::stop_token stop) override {
    retrying(stop, [&] { check_database_and_collection(); });
    mg::ConversionNotes notes;
    long long sent = 0;
    retrying(stop, [&] {
      notes = {};  // a stream that starts over counts again
      sent = stream(sink, stop, notes);
    });
    report(sink, notes.legacy_uuids, "null",
           "legacy UUIDs (binary subtype 3), whose byte order depends on the driver that wrote "
           "them");
    report(sink, notes.not_finite, "null", "NaN or Infinity, which JSON has no number for");
    report(sink, notes.not_utf8, "base64", "strings that are not UTF-8");
    spdlog::info("mongodb: {} documents read from {}.{} ({})", sent, s_.database, s_.collection,
                 plan_.description);
  }

 private:
  mg::Connection& connection() {
    if (!conn_) conn_ = std::make_unique<mg::Connection>(s_.connection);
    return *conn_;
  }

  void retrying(std::stop_token stop, const std::function<void()>& step) {
    common::with_retries(kAttempts, stop, step, [this] { conn_.reset(); });
  }

  // Tells the job about values sent otherwise than they are.
  void report(DocumentSink& sink, const mg::ConversionNotes::Note& note, std::string_view sent_as,
              std::string_view why) {
    if (note.count == 0) return;
    sink.warn(fmt::format(
        "mongodb: collection {}.{}: {} value{} sent as {}: {} (the first in field {} of document "
        "{})",
        s_.database, s_.collection, note.count, note.count == 1 ? " was" : "s were", sent_as, why,
        note.first_path, note.first_id));
  }

  // validate_config@8.8: the database, then the collection, must exist.
  void check_database_and_collection() {
    auto& c = connection();
    std::vector<std::string> databases;
    try {
      databases = c.database_names();
    } catch (const common::TransientError&) {
      throw;
    } catch (const SourceError& e) {
      // Without the listDatabases privilege the framework fails here; the
      // collection listing below still says whether the collection is there.
      if (std::string(e.what()).find("not authorized") == std::string::npos) throw;
      spdlog::warn("mongodb: cannot list the databases, checking the collection only: {}",
                   e.what());
    }
    if (!databases.empty() &&
        std::find(databases.begin(), databases.end(), s_.database) == databases.end()) {
      throw SourceError(
          fmt::format("mongodb: Database ({}) does not exist. Existing databases: {} ({})",
                      s_.database, common::join(databases), c.describe()));
    }
    auto collections = c.collection_names(s_.database);
    if (std::find(collections.begin(), collections.end(), s_.collection) == collections.end()) {
      throw SourceError(fmt::format(
          "mongodb: Collection ({}) does not exist within database {}. Existing collections: {} "
          "({})",
          s_.collection, s_.database, common::join(collections), c.describe()));
    }
  }

  // The plan's cursor, one batch at a time; returns the documents sent.
  long long stream(DocumentSink& sink, std::stop_token stop, mg::ConversionNotes& notes) {
    auto& c = connection();
    std::unique_ptr<mongoc_collection_t, CollectionDeleter> collection(
        mongoc_client_get_collection(c.client(), s_.database.c_str(), s_.collection.c_str()));
    std::unique_ptr<mongoc_cursor_t, CursorDeleter> cursor(
        plan_.aggregate
            ? mongoc_collection_aggregate(collection.get(), MONGOC_QUERY_NONE, plan_.query.get(),
                                          plan_.options.get(), nullptr)
            : mongoc_collection_find_with_opts(collection.get(), plan_.query.get(),
                                               plan_.options.get(), nullptr));
    const std::string what =
        fmt::format("{} on {}.{}", plan_.description, s_.database, s_.collection);
    long long sent = 0;
    const bson_t* doc = nullptr;
    while (mongoc_cursor_next(cursor.get(), &doc)) {
      if (stop.stop_requested()) throw Cancelled();
      mg::Converted converted;
      try {
        converted = mg::convert_document(*doc, s_.dates, notes);
      } catch (const SourceError& e) {
        throw SourceError(
            fmt::format("{} (database {}, collection {})", e.what(), s_.database, s_.collection));
      }
      sink.emit(Document{std::move(converted.id), std::move(converted.fields), ""});
      ++sent;
    }
    bson_error_t error;
    if (mongoc_cursor_error(cursor.get(), &error)) c.fail(what, error);
    if (stop.stop_requested()) throw Cancelled();
    return sent;
  }

  Settings s_;
  std::unique_ptr<common::CertificateFile> ca_file_;
  std::unique_ptr<mg::Connection> conn_;
  mg::QueryPlan plan_;
};

}  // namespace

Schema mongodb_schema() {
  Schema schema;
  schema.push_back(make_field("host", "Server hostname", 1));
  Field user = make_field("user", "Username", 2);
  user.required = false;
  schema.push_back(user);
  Field password = make_field("password", "Password", 3);
  password.required = false;
  password.sensitive = true;
  schema.push_back(password);
  schema.push_back(make_field("database", "Database", 4));
  schema.push_back(make_field("collection", "Collection", 5));
  schema.push_back(make_toggle("direct_connection", "Direct connection", 6));

  const Dependency needs_ssl{"ssl_enabled", true};
  Field ssl = make_toggle("ssl_enabled", "SSL/TLS Connection", 7);
  ssl.tooltip =
      "This option establishes a secure connection to the MongoDB server using SSL/TLS "
      "encryption. Ensure that your MongoDB deployment supports SSL/TLS connections. Enable if "
      "MongoDB cluster uses DNS SRV records.";
  schema.push_back(ssl);
  Field ca = make_field("ssl_ca", "Certificate Authority (.pem)", 8);
  ca.required = false;
  ca.depends_on = {needs_ssl};
  ca.tooltip =
      "Specifies the root certificate from the Certificate Authority. The value of the "
      "certificate is used to validate the certificate presented by the MongoDB instance.";
  schema.push_back(ca);
  Field insecure = make_toggle("tls_insecure", "Skip certificate verification", 9);
  insecure.depends_on = {needs_ssl};
  insecure.ui_restrictions = {"advanced"};
  insecure.tooltip =
      "This option skips certificate validation for TLS/SSL connections to your MongoDB server. "
      "We strongly recommend setting this option to 'disable'.";
  schema.push_back(insecure);
  Field dates = make_field("datetime_conversion", "Out-of-range date handling", 10);
  dates.display = Display::kDropdown;
  dates.value = "DATETIME";
  dates.ui_restrictions = {"advanced"};
  dates.options = {
      {{"label", "Raise an error (legacy)"}, {"value", "DATETIME"}},
      {{"label", "Clamp to the min/max date"}, {"value", "DATETIME_CLAMP"}},
      {{"label", "Out-of-range dates as epoch milliseconds"}, {"value", "DATETIME_AUTO"}},
      {{"label", "All dates as epoch milliseconds"}, {"value", "DATETIME_MS"}}};
  dates.tooltip =
      "How to handle dates outside the range Python's datetime can represent (years 1 to 9999).";
  schema.push_back(dates);
  return schema;
}

SourceDescriptor mongodb_descriptor() {
  return {"mongodb", "MongoDB", mongodb_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            Settings s;
            s.connection.host = c.str("host");
            s.connection.user = c.str("user");
            s.connection.password = c.secret("password");
            s.connection.direct_connection = c.boolean("direct_connection");
            s.connection.tls = c.boolean("ssl_enabled");
            s.connection.tls_insecure = s.connection.tls && c.boolean("tls_insecure");
            s.ssl_ca = s.connection.tls ? c.str("ssl_ca") : "";
            s.database = c.str("database");
            s.collection = c.str("collection");
            std::string problem = mongodb::uri_problem(s.connection.host);
            if (!problem.empty()) {
              throw ConfigError("host",
                                "'Server hostname' (host) is not a valid MongoDB URI: " + problem);
            }
            problem = mongodb::tls_conflict(s.connection.host, s.connection.tls);
            if (!problem.empty()) throw ConfigError("host", problem);
            std::string conversion = c.str("datetime_conversion");
            auto dates = mongodb::parse_date_conversion(conversion);
            if (!dates) {
              throw ConfigError("datetime_conversion",
                                "'Out-of-range date handling' (datetime_conversion) must be one of "
                                "DATETIME, DATETIME_CLAMP, DATETIME_AUTO, DATETIME_MS, got '" +
                                    conversion + "'");
            }
            s.dates = *dates;
            return std::make_unique<MongoSource>(std::move(s));
          },
          Capabilities{.advanced_rules = true}};
}

}  // namespace connectors::sources
