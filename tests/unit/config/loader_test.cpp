#include "config/loader.h"

#include <gtest/gtest.h>

#include <map>

#include "config/keys.h"
#include "core/errors.h"

namespace connectors::config {
namespace {

EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

LoadResult load(const std::string& yaml, std::map<std::string, std::string> env = {}) {
  return load_config_string(yaml, fake_env(std::move(env)));
}

std::string error_of(const std::string& yaml) {
  try {
    load(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ConfigLoader, EmptyFileGivesFrameworkDefaults) {
  auto config = load("").config;
  EXPECT_EQ(config.elasticsearch.host, "http://localhost:9200");
  EXPECT_EQ(config.elasticsearch.username, "elastic");
  EXPECT_EQ(config.elasticsearch.password.reveal(), "changeme");
  EXPECT_EQ(config.elasticsearch.request_timeout_s, 240);
  EXPECT_EQ(config.elasticsearch.bulk.chunk_size, 500);
  EXPECT_EQ(config.elasticsearch.bulk.queue_max_size, 1024);
  EXPECT_EQ(config.elasticsearch.bulk.queue_max_mem_size_mib, 25);
  EXPECT_EQ(config.elasticsearch.bulk.max_concurrency, 5);
  EXPECT_DOUBLE_EQ(config.elasticsearch.bulk.error_monitor.max_error_rate, 0.15);
  EXPECT_EQ(config.service.idling_s, 30);
  EXPECT_EQ(config.service.heartbeat_s, 300);
  EXPECT_EQ(config.service.max_file_download_size, 10485760);
  EXPECT_EQ(config.service.job_cleanup_interval_s, 300);
  EXPECT_TRUE(config.connectors.empty());
}

TEST(ConfigLoader, NestedAndDottedKeysMerge) {
  auto config = load(R"(
elasticsearch:
  host: https://es.example:9243
  bulk.chunk_size: 42
  bulk:
    max_concurrency: 3
service.idling: 5
)").config;
  EXPECT_EQ(config.elasticsearch.host, "https://es.example:9243");
  EXPECT_EQ(config.elasticsearch.bulk.chunk_size, 42);
  EXPECT_EQ(config.elasticsearch.bulk.max_concurrency, 3);
  EXPECT_EQ(config.service.idling_s, 5);
}

TEST(ConfigLoader, ExpandsEnvironmentVariables) {
  auto config = load(R"(
elasticsearch:
  host: http://${ES_HOST}:${ES_PORT:-9200}
  password: $ES_PASSWORD
service:
  idling: ${IDLE}
)",
                     {{"ES_HOST", "127.0.0.1"}, {"ES_PASSWORD", "s3cret!"}, {"IDLE", "7"}})
                    .config;
  EXPECT_EQ(config.elasticsearch.host, "http://127.0.0.1:9200");
  EXPECT_EQ(config.elasticsearch.password.reveal(), "s3cret!");
  EXPECT_EQ(config.service.idling_s, 7);
}

TEST(ConfigLoader, MissingEnvironmentVariableNamesTheKey) {
  EXPECT_NE(error_of("elasticsearch:\n  host: ${NOPE_NOT_SET}\n").find("elasticsearch.host"),
            std::string::npos);
}

TEST(ConfigLoader, StringWhereIntervalExpectedNamesTheKey) {
  std::string error = error_of("service:\n  idling: thirty\n");
  EXPECT_NE(error.find("service.idling"), std::string::npos) << error;
  EXPECT_NE(error.find("integer"), std::string::npos) << error;
}

TEST(ConfigLoader, CollectsEveryBadKey) {
  std::string error = error_of(R"(
service:
  idling: soon
  heartbeat: -4
elasticsearch:
  ssl: maybe
  host: localhost:9200
)");
  for (const char* key : {"service.idling", "service.heartbeat", "elasticsearch.ssl",
                          "elasticsearch.host"}) {
    EXPECT_NE(error.find(key), std::string::npos) << key << " missing from: " << error;
  }
}

TEST(ConfigLoader, MappingWhereScalarExpectedIsAnError) {
  EXPECT_NE(error_of("service:\n  idling:\n    a: 1\n").find("service.idling"), std::string::npos);
  EXPECT_NE(error_of("elasticsearch:\n  bulk: 5\n").find("elasticsearch.bulk"), std::string::npos);
}

TEST(ConfigLoader, UnknownKeysAreWarnedNotFatal) {
  auto result = load("service:\n  idlin: 5\nelasticsearch:\n  bulk:\n    chunksize: 3\nfoo: bar\n");
  ASSERT_EQ(result.warnings.size(), 3u);
  EXPECT_NE(result.warnings[0].find("service.idlin"), std::string::npos);
  EXPECT_NE(result.warnings[1].find("elasticsearch.bulk.chunksize"), std::string::npos);
  EXPECT_NE(result.warnings[2].find("foo"), std::string::npos);
}

TEST(ConfigLoader, KeysWithoutEffectAreWarnedWhenSetToANonDefault) {
  auto result = load(
      "elasticsearch:\n  bulk:\n    max_retries: 2\n    queue_refresh_interval: 1\n"
      "service:\n  fips_mode: true\n"
      "extraction_service:\n  host: http://localhost:8090\n");  // used: no warning
  ASSERT_EQ(result.warnings.size(), 2u);
  EXPECT_NE(result.warnings[0].find("'elasticsearch.bulk.max_retries' is accepted and has no effect: "),
            std::string::npos)
      << result.warnings[0];
  EXPECT_NE(result.warnings[1].find("'service.fips_mode' is accepted and has no effect"), std::string::npos)
      << result.warnings[1];
  EXPECT_TRUE(without_effect("elasticsearch.bulk.chunk_size").empty());
}

TEST(ConfigLoader, ConnectorsListLastDuplicateWinsAndMissingIdIgnored) {
  auto result = load(R"(
connectors:
  - connector_id: abc
    service_type: mysql
  - service_type: postgresql
  - connector_id: abc
    service_type: dir
    api_key: key123
)");
  ASSERT_EQ(result.config.connectors.size(), 1u);
  EXPECT_EQ(result.config.connectors[0].service_type, "dir");
  EXPECT_EQ(result.config.connectors[0].api_key.reveal(), "key123");
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("connectors[1]"), std::string::npos);
}

TEST(ConfigLoader, DeprecatedSingleConnectorForm) {
  auto result = load("connector_id: x1\nservice_type: mysql\n");
  ASSERT_EQ(result.config.connectors.size(), 1u);
  EXPECT_EQ(result.config.connectors[0].connector_id, "x1");
  EXPECT_FALSE(result.warnings.empty());
}

TEST(ConfigLoader, HeadersSourcesAndServiceTypes) {
  auto config = load(R"(
elasticsearch:
  headers:
    X-Team: search
sources:
  mysql: connectors.sources.mysql:MySqlDataSource
service:
  service_types: [mysql, postgresql]
)").config;
  EXPECT_EQ(config.elasticsearch.headers.at("X-Team"), "search");
  EXPECT_EQ(config.sources.at("mysql"), "connectors.sources.mysql:MySqlDataSource");
  EXPECT_EQ(config.service.service_types, (std::vector<std::string>{"mysql", "postgresql"}));
}

TEST(ConfigLoader, SecretValueNeverInErrorMessage) {
  // A password that is also a bad reference must not be echoed back.
  std::string error = error_of("elasticsearch:\n  password: [hunter2-secret]\n");
  EXPECT_NE(error.find("elasticsearch.password"), std::string::npos);
  EXPECT_EQ(error.find("hunter2-secret"), std::string::npos);
}

// The layout of the Python framework 8.9's sample config.yml: the placeholder
// connector is ignored, native_service_types chooses what is served.
TEST(ConfigLoader, PythonFramework89Layout) {
  auto result = load(
      "native_service_types:\n  - mongodb\n  - mysql\nconnector_id: 'changeme'\nservice_type: 'changeme'\n"
      "service:\n  max_concurrent_syncs: 3\n");
  EXPECT_TRUE(result.config.connectors.empty());
  EXPECT_EQ(result.config.native_service_types, (std::vector<std::string>{"mongodb", "mysql"}));
  EXPECT_EQ(result.config.service.max_concurrent_content_syncs, 3);
  std::string warnings;
  for (const auto& w : result.warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find("changeme"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("native_service_types"), std::string::npos) << warnings;
  EXPECT_EQ(warnings.find("unknown"), std::string::npos) << warnings;
  // _force_allow_native silences the deprecation; the newer key wins over the old.
  auto forced = load("native_service_types: [mysql]\n_force_allow_native: true\n"
                     "service:\n  max_concurrent_syncs: 3\n  max_concurrent_content_syncs: 2\n");
  EXPECT_TRUE(forced.warnings.empty());
  EXPECT_EQ(forced.config.service.max_concurrent_content_syncs, 2);
  // 8.6: the key with nothing under it.
  EXPECT_TRUE(load("native_service_types:\n").config.native_service_types.empty());
}

TEST(ConfigLoader, JobSecretsAreCopiedUnlessRedacted) {
  EXPECT_FALSE(load("").config.service.redact_job_secrets);
  EXPECT_TRUE(load("service:\n  redact_job_secrets: true\n").config.service.redact_job_secrets);
}

TEST(ConfigLoader, InvalidYamlIsAConfigError) {
  EXPECT_NE(error_of("service: [unclosed\n").find("not valid YAML"), std::string::npos);
}

TEST(ConfigLoader, RootConfigYmlLoadsWithoutWarnings) {
  auto result = load_config_file(std::string(REPO_ROOT) + "/config.yml");
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_EQ(result.config.elasticsearch.host, "http://localhost:9200");
}

}  // namespace
}  // namespace connectors::config
