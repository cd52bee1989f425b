// The one wiring of a job (sync/job_setup.h) that `connectors sync` and the
// service's job runner share: defaults as the framework's, and the source's
// capabilities asked for, never assumed.
#include "sync/job_setup.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "sources/registry.h"

namespace connectors::sync {
namespace {

using nlohmann::json;

json with_flag(const char* name, bool on) { return {{name, {{"enabled", on}}}}; }

std::string config_error_key(const JobSpec& spec, sources::Source& source) {
  try {
    job_sync_options(config::Config{}, spec, source);
  } catch (const ConfigError& e) {
    return e.key() + ": " + e.what();
  }
  return "";
}

TEST(JobSetup, PipelineTakesTheFrameworksDefaults) {
  auto source = sources::make_source("generator", json::object());
  JobSpec spec;
  spec.index = "search-a";
  for (const json& pipeline :
       {json::object(), json{{"name", nullptr}, {"run_ml_inference", nullptr}}}) {
    spec.pipeline = pipeline;
    auto options = job_sync_options(config::Config{}, spec, *source);
    EXPECT_EQ(options.index, "search-a");
    EXPECT_EQ(options.pipeline, "ent-search-generic-ingestion");
    EXPECT_TRUE(options.extract_binary_content);
    EXPECT_TRUE(options.reduce_whitespace);
    EXPECT_TRUE(options.run_ml_inference);
    EXPECT_TRUE(options.control_fields);
  }
  spec.pipeline = {{"name", ""}, {"run_ml_inference", false}, {"reduce_whitespace", false}};
  auto options = job_sync_options(config::Config{}, spec, *source);
  EXPECT_EQ(options.pipeline, "");
  EXPECT_FALSE(options.run_ml_inference);
  EXPECT_FALSE(options.reduce_whitespace);
  EXPECT_TRUE(options.extract_binary_content);
}

TEST(JobSetup, BulkAndIdCacheComeFromConfig) {
  config::Config config;
  config.elasticsearch.bulk.chunk_size = 77;
  config.service.id_cache_dir = "/var/cache/ids";
  auto source = sources::make_source("generator", json::object());
  auto options = job_sync_options(config, JobSpec{}, *source);
  EXPECT_EQ(options.bulk.chunk_size, 77);
  EXPECT_EQ(options.id_cache_dir, "/var/cache/ids");
}

TEST(JobSetup, BasicRulesOfValidFilteringOnly) {
  auto source = sources::make_source("generator", json::object());
  JobSpec spec;
  spec.filtering = {{"rules", json::array({{{"id", "r1"},
                                            {"policy", "exclude"},
                                            {"field", "number"},
                                            {"rule", ">"},
                                            {"value", "5"},
                                            {"order", 0}}})},
                    {"validation", {{"state", "valid"}}}};
  auto options = job_sync_options(config::Config{}, spec, *source);
  EXPECT_FALSE(options.rules.empty());
  EXPECT_FALSE(options.rules.should_ingest({{"number", 6}}));
  spec.filtering["validation"]["state"] = "edited";
  EXPECT_NE(config_error_key(spec, *source).find("filtering: "), std::string::npos);
}

TEST(JobSetup, AdvancedRulesNeedTheCapability) {
  auto generator = sources::make_source("generator", json::object());
  JobSpec spec;
  spec.service_type = "generator";
  spec.filtering = {{"advanced_snippet", {{"value", json::object()}}}};
  EXPECT_EQ(config_error_key(spec, *generator), "") << "an empty value is no rules";
  spec.filtering["advanced_snippet"]["value"] =
      json::array({{{"tables", {"t"}}, {"query", "SELECT 1"}}});
  std::string error = config_error_key(spec, *generator);
  EXPECT_NE(error.find("advanced_snippet: "), std::string::npos) << error;
  EXPECT_NE(error.find("generator"), std::string::npos) << error;
  // A source with the capability takes them (and checks their schema).
  auto mysql = sources::make_source(
      "mysql",
      {{"host", "db"}, {"port", 3306}, {"user", "u"}, {"password", "p"}, {"database", "d"}});
  EXPECT_EQ(config_error_key(spec, *mysql), "");
  spec.filtering["advanced_snippet"]["value"] = json::array({{{"query", "SELECT 1"}}});
  EXPECT_NE(config_error_key(spec, *mysql).find("advanced_snippet"), std::string::npos);
}

TEST(JobSetup, IncrementalNeedsTheCapabilityAndTheFeature) {
  auto dir = sources::make_source("dir", {{"directory", "/tmp"}});
  auto generator = sources::make_source("generator", json::object());
  JobSpec spec;
  spec.job_type = "incremental";
  spec.service_type = "dir";
  spec.features = with_flag("incremental_sync", true);
  std::string error = config_error_key(spec, *dir);
  EXPECT_NE(error.find("'incremental'"), std::string::npos) << error;
  EXPECT_NE(error.find("dir"), std::string::npos) << error;
  EXPECT_EQ(config_error_key(spec, *generator), "");
  spec.features = with_flag("incremental_sync", false);
  EXPECT_NE(config_error_key(spec, *generator).find("features.incremental_sync"),
            std::string::npos);
  spec.job_type = "weekly";
  EXPECT_NE(config_error_key(spec, *generator).find("'weekly'"), std::string::npos);
}

TEST(JobSetup, AccessControlHasNoRulesPipelineOrControlFieldsAndPassesTheFeature) {
  auto dir = sources::make_source("dir", {{"directory", "/tmp"}});
  auto generator =
      sources::make_source("generator", {{"documents", 1}, {"use_document_level_security", true}});
  JobSpec spec;
  spec.job_type = "access_control";
  spec.service_type = "dir";
  EXPECT_NE(config_error_key(spec, *dir).find("'access_control'"), std::string::npos);
  spec.filtering = {{"rules", json::array({{{"id", "r1"},
                                            {"policy", "exclude"},
                                            {"field", "number"},
                                            {"rule", ">"},
                                            {"value", "5"},
                                            {"order", 0}}})}};
  spec.features = with_flag("document_level_security", true);
  auto options = job_sync_options(config::Config{}, spec, *generator);
  EXPECT_TRUE(options.rules.empty());
  EXPECT_EQ(options.pipeline, "");
  // The feature reached the source: its content now carries _allow_access_control.
  struct Collect final : sources::DocumentSink {
    void emit(sources::Document d) override { docs.push_back(std::move(d)); }
    void warn(std::string) override {}
    std::vector<sources::Document> docs;
  } sink;
  generator->documents(sink, {});
  ASSERT_EQ(sink.docs.size(), 1u);
  EXPECT_TRUE(sink.docs[0].fields.contains("_allow_access_control"));
}

TEST(JobSetup, FeatureFlagsReadAsTheFramework) {
  EXPECT_TRUE(feature_enabled(with_flag("incremental_sync", true), "incremental_sync"));
  EXPECT_FALSE(feature_enabled(with_flag("incremental_sync", false), "incremental_sync"));
  EXPECT_FALSE(feature_enabled({{"incremental_sync", {{"enabled", "yes"}}}}, "incremental_sync"));
  EXPECT_FALSE(feature_enabled({{"incremental_sync", true}}, "incremental_sync"));
  EXPECT_FALSE(feature_enabled(nullptr, "incremental_sync"));
}

}  // namespace
}  // namespace connectors::sync
