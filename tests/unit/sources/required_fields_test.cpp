// name: required fields of every source
// description: a field the framework marks required, and which has no real
// default, is an error naming it (key and label) when a connector leaves it
// out or empty — the source's example values never stand in (issue 12.6);
// with every required field set, each source is built without connecting.
#include <gtest/gtest.h>

#include <set>

#include "core/errors.h"
#include "sources/registry.h"

namespace connectors::sources {
namespace {

using json = nlohmann::json;

struct Case {
  const char* service_type;
  json complete;                   // every required field, set
  std::set<std::string> required;  // the fields without a default
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"postgresql",
       {{"host", "db.local"},
        {"port", 5432},
        {"username", "reader"},
        {"password", "pw"},
        {"database", "shop"}},
       {"host", "port", "username", "password", "database"}},
      {"mysql",
       {{"host", "db.local"},
        {"port", 3306},
        {"user", "reader"},
        {"password", "pw"},
        {"database", "shop"}},
       {"host", "port", "user", "password", "database"}},
      {"mssql",
       {{"host", "db.local"},
        {"port", 1433},
        {"username", "reader"},
        {"password", "pw"},
        {"database", "shop"}},
       {"host", "port", "username", "password", "database"}},
      {"oracle",
       {{"host", "db.local"},
        {"port", 1521},
        {"username", "reader"},
        {"password", "pw"},
        {"database", "xe"}},
       {"host", "port", "username", "password", "database"}},
      {"mongodb",
       {{"host", "mongodb://db.local:27017"}, {"database", "shop"}, {"collection", "orders"}},
       {"host", "database", "collection"}},
      {"dir", {{"directory", "/srv/files"}}, {"directory"}},
      {"generator", json::object(), {}},
      {"s3",
       {{"buckets", "ent-search-ingest-dev"},
        {"aws_access_key_id", "AKIDEXAMPLE"},
        {"aws_secret_access_key", "secret"}},
       {"buckets"}},
      {"google_cloud_storage",
       {{"service_account_credentials",
         R"({"type": "service_account", "project_id": "p", "private_key": "k",
             "client_email": "c@p.iam.gserviceaccount.com",
             "token_uri": "https://oauth2.googleapis.com/token"})"}},
       {"service_account_credentials"}},
      // Every field has the seeds' default (Azurite's development account).
      {"azure_blob_storage", json::object(), {}},
      {"network_drive", json::object(), {}},  // the seeds' defaults, as azure_blob_storage
      // The seeds' default data sources: Confluence Server, Jira Cloud.
      {"confluence",
       {{"username", "admin"}, {"password", "pw"}, {"confluence_url", "https://wiki.local"}},
       {"username", "password", "confluence_url"}},
      {"jira",
       {{"account_email", "me@example.com"},
        {"api_token", "token"},
        {"jira_url", "https://example.atlassian.net"}},
       {"account_email", "api_token", "jira_url"}},
  };
  return all;
}

const Field& field_of(const Schema& schema, const std::string& key) {
  for (const auto& f : schema) {
    if (f.key == key) return f;
  }
  throw std::logic_error("no field " + key);
}

// The ConfigError of building `service_type` from `values` through its
// descriptor's create alone (no separate validation); "" when it is built.
std::string create_error(const std::string& service_type, const json& values, std::string* key) {
  const SourceDescriptor* descriptor = find_source(service_type);
  try {
    descriptor->create(Configuration(descriptor->schema(), values));
  } catch (const ConfigError& e) {
    *key = e.key();
    return e.what();
  }
  return "";
}

TEST(RequiredFields, EverySourceIsCoveredAndBuiltWhenComplete) {
  std::set<std::string> covered;
  for (const auto& c : cases()) covered.insert(c.service_type);
  for (const auto& descriptor : registered_sources()) {
    EXPECT_TRUE(covered.count(descriptor.service_type)) << descriptor.service_type;
  }
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.service_type);
    EXPECT_NO_THROW(make_source(c.service_type, c.complete));
    std::string key;
    EXPECT_EQ(create_error(c.service_type, c.complete, &key), "");
  }
}

TEST(RequiredFields, NoRequiredFieldPublishesAnExampleValue) {
  for (const auto& c : cases()) {
    Schema schema = find_source(c.service_type)->schema();
    json published = schema_to_json(schema);
    for (const auto& key : c.required) {
      SCOPED_TRACE(std::string(c.service_type) + "." + key);
      EXPECT_TRUE(field_of(schema, key).required);
      EXPECT_EQ(published[key]["value"], "");
    }
  }
}

TEST(RequiredFields, AMissingOrEmptyOneIsAnErrorNamingIt) {
  for (const auto& c : cases()) {
    Schema schema = find_source(c.service_type)->schema();
    for (const auto& key : c.required) {
      SCOPED_TRACE(std::string(c.service_type) + "." + key);
      const std::string label = field_of(schema, key).label;
      for (bool absent : {true, false}) {
        json values = c.complete;
        if (absent) {
          values.erase(key);
        } else {
          values[key] = "";
        }
        // The descriptor's create refuses it on its own ...
        std::string error_key;
        std::string message = create_error(c.service_type, values, &error_key);
        EXPECT_EQ(error_key, key) << message;
        EXPECT_NE(message.find("'" + label + "' (" + key + ") cannot be empty"), std::string::npos)
            << message;
        // ... and so does the registry, which the service and the CLI use.
        try {
          make_source(c.service_type, values);
          ADD_FAILURE() << "accepted without " << key;
        } catch (const ConfigError& e) {
          EXPECT_EQ(e.key(), key) << e.what();
        }
      }
    }
  }
}

TEST(RequiredFields, AConnectorDocumentWithoutTheFieldIsRefused) {
  // The shape a connector document has: {key: {value: ...}}, here without host.
  json document = {{"port", {{"value", 5432}}},
                   {"username", {{"value", "reader"}}},
                   {"password", {{"value", "pw"}}},
                   {"database", {{"value", "shop"}}}};
  try {
    make_source("postgresql", document);
    FAIL() << "a connector without host was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "host");
    EXPECT_EQ(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
  }
}

TEST(RequiredFields, RealDefaultsStillStandIn) {
  // tables `*`, ssl off, fetch_size 50, retry_count 3, pattern **/*.*: the
  // framework's defaults, not examples.
  const SourceDescriptor* pg = find_source("postgresql");
  Configuration c(pg->schema(), cases()[0].complete);
  EXPECT_EQ(c.list("tables"), std::vector<std::string>{"*"});
  EXPECT_FALSE(c.boolean("ssl_enabled"));
  EXPECT_EQ(c.integer("fetch_size"), 50);
  EXPECT_EQ(c.integer("retry_count"), 3);
  Configuration dir(find_source("dir")->schema(), cases()[3].complete);
  EXPECT_EQ(dir.list("pattern"), std::vector<std::string>{"**/*.*"});
  Configuration mongo(find_source("mongodb")->schema(), cases()[2].complete);
  EXPECT_EQ(mongo.str("datetime_conversion"), "DATETIME");
  EXPECT_FALSE(mongo.boolean("direct_connection"));
}

TEST(RequiredFields, ADependentOneIsRequiredOnlyWhenItsDependencyHolds) {
  for (const char* type : {"postgresql", "mysql"}) {
    SCOPED_TRACE(type);
    json values = type == std::string("mysql") ? cases()[1].complete : cases()[0].complete;
    values["ssl_enabled"] = true;
    std::string key;
    std::string message = create_error(type, values, &key);
    EXPECT_EQ(key, "ssl_ca") << message;
    EXPECT_NE(message.find("'SSL certificate' (ssl_ca) cannot be empty"), std::string::npos)
        << message;
  }
}

}  // namespace
}  // namespace connectors::sources
