// Our connector and job documents against what the Python framework 8.9 writes
// and reads. The field lists come from its source (connectors/kibana.py's
// connector document, connectors/protocol/connectors.py: SyncJobIndex.create
// and the fields its classes read), tag v8.9.2.0 of elastic/connectors; the
// jobs mapping is tests/fixtures/python-8.9-system-indices.json.
#include <gtest/gtest.h>

#include <fstream>

#include "protocol/connectors.h"
#include "protocol/jobs.h"

namespace connectors::protocol {
namespace {

Connector connector_with_secret() {
  json configuration = {
      {"host", {{"value", "db.local"}, {"sensitive", false}, {"label", "Host"}}},
      {"password", {{"value", "s3cret"}, {"sensitive", true}, {"label", "Password"}}}};
  json doc = new_connector_document("c", "search-c", "mysql", configuration);
  return Connector{StoredDoc{"c1", {}, doc}};
}

// kibana.py's connector document, and `features` that its service writes.
TEST(Python89Documents, ConnectorHasEveryFieldThePythonFrameworkWritesAndReads) {
  json doc = connector_with_secret().doc.source;
  for (const char* field : {"api_key_id",
                            "configuration",
                            "index_name",
                            "service_type",
                            "status",
                            "language",
                            "last_access_control_sync_error",
                            "last_access_control_sync_scheduled_at",
                            "last_access_control_sync_status",
                            "last_sync_status",
                            "last_sync_error",
                            "last_sync_scheduled_at",
                            "last_synced",
                            "last_seen",
                            "filtering",
                            "scheduling",
                            "pipeline",
                            "sync_cursor",
                            "is_native",
                            "features",
                            "error"}) {
    EXPECT_TRUE(doc.contains(field)) << field;
  }
  EXPECT_EQ(doc["status"], "configured");
  EXPECT_EQ(doc["is_native"], false);
  // Features as BaseDataSource.features() (8.9) shapes them.
  for (const char* path : {"/sync_rules/basic/enabled", "/sync_rules/advanced/enabled",
                           "/document_level_security/enabled", "/incremental_sync/enabled"}) {
    EXPECT_TRUE(doc["features"].contains(json::json_pointer(path))) << path;
    EXPECT_TRUE(doc["features"][json::json_pointer(path)].is_boolean()) << path;
  }
  // The filtering as its Filtering class reads it: a DEFAULT domain with active and draft.
  ASSERT_TRUE(doc["filtering"].is_array());
  EXPECT_EQ(doc["filtering"][0]["domain"], "DEFAULT");
  for (const char* side : {"active", "draft"}) {
    EXPECT_TRUE(doc["filtering"][0][side]["rules"].is_array()) << side;
    EXPECT_TRUE(doc["filtering"][0][side]["advanced_snippet"].contains("value")) << side;
    EXPECT_EQ(doc["filtering"][0][side]["validation"]["state"], "valid") << side;
  }
  for (const char* key :
       {"extract_binary_content", "name", "reduce_whitespace", "run_ml_inference"}) {
    EXPECT_TRUE(doc["pipeline"].contains(key)) << key;
  }
  EXPECT_EQ(source_features({.advanced_rules = true})["sync_rules"]["advanced"]["enabled"], true);
}

// SyncJobIndex.create (8.9) writes these; its runner reads connector.configuration
// and validates it — so the secrets must be there, as in its own documents.
TEST(Python89Documents, JobHasEveryFieldThePythonFrameworkWritesAndTheSecrets) {
  json job = new_job_document(connector_with_secret(), "full", "on_demand", false);
  for (const char* field :
       {"trigger_method", "job_type", "status", "indexed_document_count", "indexed_document_volume",
        "deleted_document_count", "created_at", "last_seen"}) {
    EXPECT_TRUE(job.contains(field)) << field;
  }
  for (const char* field :
       {"id", "filtering", "index_name", "language", "pipeline", "service_type", "configuration"}) {
    EXPECT_TRUE(job["connector"].contains(field)) << "connector." << field;
  }
  EXPECT_EQ(job["status"], "pending");
  EXPECT_EQ(job["job_type"], "full");
  EXPECT_EQ(job["connector"]["configuration"]["password"]["value"], "s3cret");
  EXPECT_TRUE(job["connector"]["filtering"].contains("rules"));
  EXPECT_TRUE(job["connector"]["filtering"].contains("advanced_snippet"));

  // Every field of the job that its jobs index maps is of the mapped kind.
  std::ifstream in(std::string(REPO_ROOT) + "/tests/fixtures/python-8.9-system-indices.json");
  json mapped = json::parse(in)["jobs_index_mappings"]["properties"];
  for (const auto& [field, value] : job.items()) {
    if (!mapped.contains(field) || value.is_null()) continue;
    std::string type = mapped[field].value("type", "object");
    if (type == "integer") {
      EXPECT_TRUE(value.is_number_integer()) << field;
    } else if (type == "keyword" || type == "date") {
      EXPECT_TRUE(value.is_string()) << field;
    } else if (type == "object") {
      EXPECT_TRUE(value.is_object()) << field;
    }
  }
}

TEST(Python89Documents, RedactedJobsLeaveSecretsOut) {
  json job = new_job_document(connector_with_secret(), "full", "scheduled", true);
  EXPECT_EQ(job["connector"]["configuration"]["password"]["value"], "");
  EXPECT_EQ(job["connector"]["configuration"]["host"]["value"], "db.local");
  EXPECT_EQ(job.dump().find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace connectors::protocol
