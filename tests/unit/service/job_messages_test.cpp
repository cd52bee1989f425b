#include <gtest/gtest.h>

#include "service/job_runner.h"

namespace connectors::service {
namespace {

TEST(JobTypes, WhatASourceHasRuns) {
  EXPECT_EQ(unrunnable_job_message("full", "dir"), "");
  EXPECT_EQ(unrunnable_job_message("full", "mysql"), "");
  EXPECT_EQ(unrunnable_job_message("incremental", "generator"), "");
  EXPECT_EQ(unrunnable_job_message("access_control", "generator"), "");
}

TEST(JobTypes, WhatItLacksIsNamed) {
  std::string incremental = unrunnable_job_message("incremental", "dir");
  EXPECT_NE(incremental.find("'incremental'"), std::string::npos) << incremental;
  EXPECT_NE(incremental.find("dir"), std::string::npos) << incremental;
  std::string acl = unrunnable_job_message("access_control", "mysql");
  EXPECT_NE(acl.find("'access_control'"), std::string::npos) << acl;
  EXPECT_NE(acl.find("mysql"), std::string::npos) << acl;
}

TEST(JobTypes, UnknownTypesAreNamed) {
  EXPECT_NE(unrunnable_job_message("bogus", "mysql").find("'bogus'"), std::string::npos);
  EXPECT_NE(unrunnable_job_message("FULL", "dir").find("'FULL'"), std::string::npos);
  EXPECT_NE(unrunnable_job_message("", "mysql").find("no job_type"), std::string::npos);
}

TEST(JobWarnings, NoneGiveNoError) { EXPECT_EQ(warnings_summary({}, 0), ""); }

TEST(JobWarnings, EveryKeptWarningAndTheCountOfTheRest) {
  std::string text =
      warnings_summary({"table 'a' has no primary key; skipped", "table 'b' does not exist"}, 5);
  EXPECT_NE(text.find("5 items"), std::string::npos) << text;
  EXPECT_NE(text.find("table 'a' has no primary key"), std::string::npos);
  EXPECT_NE(text.find("table 'b' does not exist"), std::string::npos);
  EXPECT_NE(text.find("and 3 more"), std::string::npos);
}

TEST(JobWarnings, LongTextIsClippedOnACharacterBoundary) {
  std::vector<std::string> many(20, std::string(1000, 'x') + "é");
  std::string text = warnings_summary(many, 20);
  EXPECT_LE(text.size(), 8200u);
  EXPECT_EQ(text.substr(text.size() - 4), " …");
}

}  // namespace
}  // namespace connectors::service
