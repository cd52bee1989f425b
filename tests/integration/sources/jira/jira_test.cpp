// The jira source against the Jira mock (tests/servers/atlassian.sh), Cloud and
// Server shaped: projects, issues (past one page: Cloud nextPageToken, Server
// startAt capped at 50) with every comment, attachments with real content,
// archived projects and issues left out, 401 naming the user, a 429 storm,
// JQL rules, and DLS searched in the engine. Each test ends checking that the
// source called no endpoint the mock does not know.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "atlassian_mock_support.h"
#include "core/errors.h"
#include "sync/access_control_sync.h"
#include "sync_support.h"

namespace connectors {
namespace {

using nlohmann::json;
using testing::AtlassianMock;
using testing::CollectSink;

std::map<std::string, int> types_of(const CollectSink& sink) {
  std::map<std::string, int> types;
  for (const auto& d : sink.docs) {
    std::string type = d.fields["Type"];
    types[type == "Bug" || type == "Task" ? "Issue" : type]++;
  }
  return types;
}

class JiraMock : public ::testing::TestWithParam<std::string> {
 protected:
  // 4 live projects and an archived one; 130 issues, one attachment each; every
  // third issue has 60 comments (the search holds 2, the comment listing pages by 50).
  void SetUp() override {
    try {
      mock_ = std::make_unique<AtlassianMock>("jira", GetParam(),
                                              "--projects 4 --issues 130 --comments 60");
    } catch (const std::exception& e) {
      FAIL() << "the Jira mock did not start: " << e.what();
    }
  }
  void TearDown() override {
    if (mock_) mock_->expect_no_unknown_endpoint();
  }
  std::unique_ptr<AtlassianMock> mock_;
};

TEST_P(JiraMock, ProjectsIssuesCommentsAndAttachmentsButNothingArchived) {
  auto source = mock_->source(mock_->config());
  source->ping({});
  CollectSink sink;
  source->documents(sink, {});
  EXPECT_EQ(types_of(sink),
            (std::map<std::string, int>{{"Project", 4}, {"Issue", 130}, {"Attachment", 130}}));
  std::set<std::string> ids;
  for (const auto& d : sink.docs) ids.insert(d.id);
  EXPECT_EQ(ids.size(), sink.docs.size()) << "every document once";
  EXPECT_FALSE(ids.count("project-19999")) << "the archived project";
  EXPECT_FALSE(ids.count("Demo Project 0-P0-34")) << "the archived issue";

  const auto* issue = sink.find("Demo Project 0-P0-1");
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->timestamp, "2023-02-10T00:10:11.027+0530");
  EXPECT_EQ(issue->fields["Type"], "Task");
  EXPECT_EQ(issue->fields["Issue"]["summary"], "Issue 0");
  // The search holds two of its 60 comments; the rest are asked for, over two pages.
  EXPECT_EQ(issue->fields["Issue"]["comment"]["comments"].size(), 60u);
  EXPECT_EQ(issue->fields["Issue"]["comment"]["comments"][59]["body"], "Comment 59 on P0-1");
  // Rich text as the 8.x framework indexed it (REST v2): strings, not ADF objects
  // (which v3 gives, and the mock too), so an index it wrote keeps its mappings.
  EXPECT_EQ(issue->fields["Issue"]["description"], "What P0-1 is about");
  EXPECT_EQ(issue->fields["Issue"]["comment"]["comments"][0]["body"], "Comment 0 on P0-1");
  const auto* project = sink.find("project-10000");
  ASSERT_NE(project, nullptr);
  EXPECT_EQ(project->fields["Project"]["key"], "P0");

  const auto* word = sink.find("P0-1-50000");
  ASSERT_NE(word, nullptr);
  EXPECT_EQ(word->fields["title"], "testWORD.docx");
  EXPECT_EQ(word->fields["issue"], "P0-1");
  testing::ByteSink bytes;
  word->content.fetch(bytes, 10485760, {});
  EXPECT_EQ(static_cast<long long>(bytes.text.size()), word->fields["size"].get<long long>());
  EXPECT_EQ(bytes.text.substr(0, 2), "PK");
}

TEST_P(JiraMock, ConfiguredProjectsOnlyAndAnUnknownOneNamed) {
  CollectSink sink;
  mock_->source(mock_->config("P1"))->documents(sink, {});
  EXPECT_EQ(types_of(sink),
            (std::map<std::string, int>{{"Project", 1}, {"Issue", 33}, {"Attachment", 33}}));
  for (const char* keys : {"P1, NOPE", "ARCH"}) {
    CollectSink none;
    try {
      mock_->source(mock_->config(keys))->documents(none, {});
      ADD_FAILURE() << keys << " accepted";
    } catch (const SourceError& e) {
      EXPECT_NE(std::string(e.what()).find("configured unavailable projects"), std::string::npos)
          << e.what();
    }
  }
}

TEST_P(JiraMock, AWrongSecretFailsAtOnceNamingTheUser) {
  testing::expect_a_wrong_secret_named_by_user(*mock_);
}

TEST_P(JiraMock, A429StormEndsWithEveryDocumentOnce) {
  testing::expect_a_429_storm_to_end_with_every_document_once(*mock_, "P2", 1u + 32u + 32u);
}

TEST_P(JiraMock, JqlRulesAreValidatedAndSyncWhatTheyFind) {
  auto source = mock_->source(mock_->config());
  auto* rules = source->advanced_rules();
  ASSERT_NE(rules, nullptr);
  json good =
      json::parse(R"([{"query": "project = P1 AND issuetype = Bug"}, {"query": "key = P2-1"}])");
  EXPECT_TRUE(rules->validate_advanced_rules(good, {}).valid);
  auto bad = rules->validate_advanced_rules(json::parse(R"([{"query": "labels ~ x"}])"), {});
  EXPECT_FALSE(bad.valid);
  EXPECT_NE(bad.message.find("JQL query 'labels ~ x' is not valid: Error in the JQL Query"),
            std::string::npos)
      << bad.message;
  rules->set_advanced_rules(good);
  CollectSink sink;
  source->documents(sink, {});
  EXPECT_EQ(types_of(sink), (std::map<std::string, int>{{"Issue", 34}, {"Attachment", 34}}));
}

INSTANTIATE_TEST_SUITE_P(Deployments, JiraMock, ::testing::Values("cloud", "server"));

class JiraDls : public testing::SyncFixture, public ::testing::WithParamInterface<std::string> {
 protected:
  void TearDown() override {
    if (client_ && client_->index_exists(acl_index())) client_->delete_index(acl_index());
    testing::SyncFixture::TearDown();
  }
  std::string acl_index() const { return ".search-acl-filter-" + index_; }
};

TEST_P(JiraDls, EachUserFindsExactlyWhatTheyMayBrowse) {
  AtlassianMock mock("jira", GetParam(), "--projects 4 --issues 40 --users 4");
  json values = mock.config();
  values["use_document_level_security"] = true;
  auto source = mock.source(values);
  source->access_control()->enable_document_level_security(true);
  auto result = sync(*source, options());
  ASSERT_EQ(result.status, sync::SyncStatus::kCompleted) << result.error;
  auto acl_options = options();
  acl_options.index = acl_index();
  auto identities = sync::run_access_control_sync(
      testing::fast_retry_options(testing::engine_url()), *source->access_control(), acl_options);
  ASSERT_EQ(identities.status, sync::SyncStatus::kCompleted) << identities.error;
  EXPECT_EQ(identities.indexed_document_count, 4);
  testing::expect_each_user_sees_exactly_their_documents(*client_, index_, acl_index(), mock, 4);
  mock.expect_no_unknown_endpoint();
}

INSTANTIATE_TEST_SUITE_P(Deployments, JiraDls, ::testing::Values("cloud", "server"));

}  // namespace
}  // namespace connectors
