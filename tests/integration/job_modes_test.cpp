// The incremental and access-control syncs against the real engine, run
// through the shared job wiring (sync/job_setup.h) with the generator source.
#include <gtest/gtest.h>

#include "sync/job_setup.h"
#include "sync_support.h"

namespace connectors::testing {
namespace {

using nlohmann::json;

class JobModesTest : public SyncFixture {
 protected:
  void SetUp() override {
    SyncFixture::SetUp();
    cache_dir_ = std::filesystem::temp_directory_path() / ("ids-" + index_);
  }
  void TearDown() override {
    if (client_ && client_->index_exists(acl_index())) client_->delete_index(acl_index());
    if (!cache_dir_.empty()) std::filesystem::remove_all(cache_dir_);
    SyncFixture::TearDown();
  }
  std::string acl_index() const { return ".search-acl-filter-" + index_; }

  // A job of `type` on this test's index (or its ACL index), without pipeline.
  sync::JobSpec spec_for(const std::string& type, const json& cursor,
                         const json& features = json::object()) {
    sync::JobSpec spec;
    spec.job_type = type;
    spec.service_type = "generator";
    spec.index = type == "access_control" ? acl_index() : index_;
    spec.pipeline = {{"name", ""}};
    spec.features = features;
    spec.features["incremental_sync"] = {{"enabled", true}};
    spec.sync_cursor = cursor;
    return spec;
  }

  // Runs the job through the shared wiring; `cursor_out` gets the source's new cursor.
  SyncResult run(const sync::JobSpec& spec, const json& values, json* cursor_out = nullptr) {
    auto source = sources::make_source("generator", values);
    config::Config config;
    config.elasticsearch.bulk = options().bulk;
    config.service.id_cache_dir = cache_dir_.string();
    auto o = sync::job_sync_options(config, spec, *source);
    auto result = sync::run_sync_job(fast_retry_options(engine_url()), *source, spec, o);
    if (cursor_out != nullptr) *cursor_out = source->incremental()->sync_cursor();
    client_->refresh(spec.index);
    return result;
  }

  // id → _timestamp of every document of `index`.
  std::map<std::string, std::string> contents(const std::string& index) {
    std::map<std::string, std::string> out;
    auto hits =
        client_->search(index, {{"size", 10000}, {"query", {{"match_all", json::object()}}}});
    for (const auto& hit : hits["hits"]["hits"])
      out[hit["_id"]] = hit["_source"].value("_timestamp", "");
    return out;
  }

  std::filesystem::path cache_dir_;
};

json generation(int g, long long documents) {
  return {{"documents", documents},
          {"document_size", 300},
          {"generation", g},
          {"changed_fraction", 0.2},
          {"deleted_fraction", 0.1}};
}

TEST_F(JobModesTest, IncrementalWritesOnlyTheChangesAndCountsWhatTheEngineAcknowledged) {
  json cursor;
  auto full = run(spec_for("full", nullptr), generation(0, 1000), &cursor);
  ASSERT_EQ(full.status, sync::SyncStatus::kCompleted) << full.error;
  ASSERT_TRUE(full.id_cache_saved);
  ASSERT_TRUE(cursor.is_object()) << "a full sync sets the cursor";

  json next;
  auto delta = run(spec_for("incremental", cursor), generation(1, 1200), &next);
  ASSERT_EQ(delta.status, sync::SyncStatus::kCompleted) << delta.error;
  EXPECT_EQ(delta.existing_documents, 0) << "no existing ids are loaded";
  EXPECT_FALSE(delta.id_cache_saved);
  auto diff = generator_diff(generation(0, 1000), generation(1, 1000));
  long long added = 0;  // documents 1000..1199 that generation 1 has
  for (long long i = 1000; i < 1200; ++i)
    added += sources::generate_document(generator_settings(generation(1, 1200)), i) ? 1 : 0;
  EXPECT_EQ(delta.indexed_document_count, diff.changed + added);
  EXPECT_EQ(delta.deleted_document_count, diff.deleted);
  EXPECT_EQ(delta.docs_extracted, diff.changed + added);
  EXPECT_EQ(next["generation"], 1);

  // The index is what a full sync of generation 1 leaves, and the id cache
  // is not trusted after the incremental writes: the next full sync scans.
  auto after_delta = contents(index_);
  auto again = run(spec_for("full", nullptr), generation(1, 1200));
  ASSERT_EQ(again.status, sync::SyncStatus::kCompleted) << again.error;
  EXPECT_FALSE(again.ids_from_cache);
  EXPECT_EQ(again.indexed_document_count, 0);
  EXPECT_EQ(again.deleted_document_count, 0);
  EXPECT_EQ(contents(index_), after_delta);
}

TEST_F(JobModesTest, IncrementalStillAppliesBasicRules) {
  json cursor;
  ASSERT_EQ(run(spec_for("full", nullptr), generation(0, 100), &cursor).status,
            sync::SyncStatus::kCompleted);
  auto spec = spec_for("incremental", cursor);
  spec.filtering = {{"rules", json::array({{{"id", "r"},
                                            {"policy", "exclude"},
                                            {"field", "number"},
                                            {"rule", ">"},
                                            {"value", "199"},
                                            {"order", 0}}})}};
  auto result = run(spec, generation(0, 300));
  ASSERT_EQ(result.status, sync::SyncStatus::kCompleted) << result.error;
  EXPECT_EQ(result.indexed_document_count, 100);  // 100..199; 200..299 excluded
  EXPECT_EQ(result.docs_filtered, 100);
  EXPECT_EQ(count(), 200);
}

TEST_F(JobModesTest, AccessControlIndexIsReconciledWithoutControlFields) {
  json dls = {{"document_level_security", {{"enabled", true}}}};
  json values = {{"documents", 3}, {"identities", 3}, {"use_document_level_security", true}};
  auto first = run(spec_for("access_control", nullptr, dls), values);
  ASSERT_EQ(first.status, sync::SyncStatus::kCompleted) << first.error;
  EXPECT_EQ(first.indexed_document_count, 3);
  auto hits = client_->search(acl_index(), {{"query", {{"ids", {{"values", {"user-1"}}}}}}});
  ASSERT_EQ(hits["hits"]["hits"].size(), 1u);
  json user = hits["hits"]["hits"][0]["_source"];
  EXPECT_EQ(user["identity"]["username"], "user:user-1");
  EXPECT_EQ(user["query"]["template"]["params"]["access_control"][0], "user:user-1");
  EXPECT_FALSE(user.contains("_run_ml_inference"));
  EXPECT_FALSE(user.contains("_extract_binary_content"));

  values["identities"] = 2;
  auto second = run(spec_for("access_control", nullptr, dls), values);
  ASSERT_EQ(second.status, sync::SyncStatus::kCompleted) << second.error;
  EXPECT_EQ(second.indexed_document_count, 0) << "unchanged identities are skipped";
  EXPECT_EQ(second.deleted_document_count, 1);
  EXPECT_EQ(client_->count(acl_index()), 2);
  EXPECT_FALSE(client_->index_exists(index_))
      << "an access-control sync leaves the content index alone";
}

}  // namespace
}  // namespace connectors::testing
