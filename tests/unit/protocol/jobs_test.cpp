#include "protocol/jobs.h"

#include <gtest/gtest.h>

#include "protocol/statuses.h"

namespace connectors::protocol {
namespace {

TEST(Jobs, MergeSecretsFillsBlankSensitiveValuesFromTheConnector) {
  json job = {{"host", {{"value", "db"}, {"sensitive", false}}},
              {"password", {{"value", ""}, {"sensitive", true}}}};
  json connector = {{"host", {{"value", "other"}, {"sensitive", false}}},
                    {"password", {{"value", "s3cret"}, {"sensitive", true}}}};
  json merged = merge_secrets(job, connector);
  EXPECT_EQ(merged["password"]["value"], "s3cret");
  EXPECT_EQ(merged["host"]["value"], "db");  // the snapshot wins for everything else
  // A snapshot made by Kibana or the Python framework still carries the secret: kept.
  job["password"]["value"] = "from-snapshot";
  EXPECT_EQ(merge_secrets(job, connector)["password"]["value"], "from-snapshot");
}

TEST(Jobs, CountersInMebibytes) {
  json c = counters_json({10, 3 * 1048576 + 600000, 2});
  EXPECT_EQ(c["indexed_document_count"], 10);
  EXPECT_EQ(c["indexed_document_volume"], 4);  // rounded
  EXPECT_EQ(c["deleted_document_count"], 2);
  EXPECT_FALSE(c.contains("metadata"));  // no file without text: the job's metadata untouched
}

TEST(Jobs, FilesWithoutTextAreCountedInTheMetadata) {
  json c = counters_json({10, 0, 0, 3});
  EXPECT_EQ(c["metadata"], json({{"extraction_failures", 3}}));
}

TEST(JobStatuses, Transitions) {
  using namespace job_status;
  EXPECT_TRUE(job_transition_allowed(kPending, kInProgress));
  EXPECT_TRUE(job_transition_allowed(kPending, kCanceled));
  EXPECT_TRUE(job_transition_allowed(kInProgress, kSuspended));
  EXPECT_TRUE(job_transition_allowed(kSuspended, kInProgress));
  EXPECT_TRUE(job_transition_allowed(kCanceling, kCanceled));
  EXPECT_FALSE(job_transition_allowed(kInProgress, kCanceled));
  EXPECT_FALSE(job_transition_allowed(kCompleted, kInProgress));
  EXPECT_FALSE(job_transition_allowed(kError, kCompleted));
  EXPECT_FALSE(job_transition_allowed(kCanceling, kSuspended));
  EXPECT_TRUE(is_terminal_job_status(kCanceled));
  EXPECT_FALSE(is_terminal_job_status(kSuspended));
}

}  // namespace
}  // namespace connectors::protocol
