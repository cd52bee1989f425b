#include <gtest/gtest.h>

#include <fstream>

#include "protocol/indices.h"

namespace connectors::protocol {
namespace {

using es::json;

json python_89_jobs_mappings() {
  std::ifstream in(std::string(REPO_ROOT) + "/tests/fixtures/python-8.9-system-indices.json");
  return json::parse(in)["jobs_index_mappings"];
}

TEST(SystemIndices, OurMappingsHaveEveryFieldTheServiceQueries) {
  EXPECT_TRUE(missing_system_fields(connectors_mappings(), jobs_mappings()).empty());
}

TEST(SystemIndices, ThePythonFramework89JobsIndexLacksJobType) {
  auto missing = missing_system_fields(connectors_mappings(), python_89_jobs_mappings());
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find("job_type"), std::string::npos);
  EXPECT_NE(missing[0].find("matched on the client"), std::string::npos);
}

TEST(SystemIndices, NestedFieldsAndEmptyMappings) {
  json jobs = jobs_mappings();
  jobs["properties"]["connector"]["properties"].erase("id");
  auto missing = missing_system_fields(connectors_mappings(), jobs);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find("connector.id"), std::string::npos);
  EXPECT_EQ(missing_system_fields(json::object(), json::object()).size(), 7u);
}

// Every field the Python framework 8.9 maps in its jobs index is in ours, with the same type.
TEST(SystemIndices, OurJobsMappingCoversThePythonFramework89s) {
  json ours = jobs_mappings()["properties"];
  json theirs = python_89_jobs_mappings()["properties"];
  for (const auto& [field, spec] : theirs.items()) {
    ASSERT_TRUE(ours.contains(field)) << field;
    if (spec.contains("type") && spec["type"] != "object") {
      EXPECT_EQ(ours[field]["type"], spec["type"]) << field;
    }
  }
}

}  // namespace
}  // namespace connectors::protocol
