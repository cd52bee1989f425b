// The confluence source against the Confluence mock (tests/servers/atlassian.sh),
// Cloud and Server shaped: every space, page, blog post and attachment with the
// framework's fields and real content, paging past one page (Cloud cursors,
// Server offsets without `next`), 401 naming the user, a 429 storm, CQL rules,
// and DLS searched in the engine. Each test ends checking that the source
// called no endpoint the mock does not know.
#include <gtest/gtest.h>

#include <algorithm>
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

class ConfluenceMock : public ::testing::TestWithParam<std::string> {
 protected:
  // 5 spaces; 60 pages and 60 blog posts (two pages of 50), one attachment each.
  void SetUp() override {
    try {
      mock_ = std::make_unique<AtlassianMock>("confluence", GetParam(),
                                              "--contents 60 --attachments 1");
    } catch (const std::exception& e) {
      FAIL() << "the Confluence mock did not start: " << e.what();
    }
  }
  void TearDown() override {
    if (mock_) mock_->expect_no_unknown_endpoint();
  }
  std::map<std::string, int> types_of(const CollectSink& sink) {
    std::map<std::string, int> types;
    for (const auto& d : sink.docs) types[d.fields["type"].get<std::string>()]++;
    return types;
  }
  std::unique_ptr<AtlassianMock> mock_;
};

TEST_P(ConfluenceMock, EverySpacePageBlogPostAndAttachmentWithTheirContent) {
  auto source = mock_->source(mock_->config());
  source->ping({});
  CollectSink sink;
  source->documents(sink, {});
  EXPECT_EQ(types_of(sink),
            (std::map<std::string, int>{
                {"Space", 5}, {"page", 60}, {"blogpost", 60}, {"attachment", 120}}));
  std::set<std::string> ids;
  for (const auto& d : sink.docs) ids.insert(d.id);
  EXPECT_EQ(ids.size(), sink.docs.size()) << "every document once";

  const auto* page = sink.find("100000");
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(page->fields["title"], "page_0");
  EXPECT_EQ(page->fields["space"], "Demo Space 0");
  EXPECT_EQ(page->fields["body"], "<p>This is a test page</p>");
  EXPECT_EQ(page->timestamp, "2023-01-24T04:07:19.672Z");
  EXPECT_EQ(page->fields["url"],
            mock_->url() + (mock_->cloud() ? "/wiki" : "") + "/spaces/SP0/pages/100000/page_0");
  EXPECT_FALSE(page->fields.contains("_allow_access_control")) << "DLS is off by default";

  // The first page's attachment is a real Word file; Cloud sends it from its media host.
  const auto* word = sink.find("att1000000");
  ASSERT_NE(word, nullptr);
  EXPECT_EQ(word->fields["title"], "testWORD.docx");
  EXPECT_EQ(word->fields["page"], "page_0");
  EXPECT_EQ(word->content.extension, ".docx");
  testing::ByteSink bytes;
  word->content.fetch(bytes, 10485760, {});
  EXPECT_EQ(static_cast<long long>(bytes.text.size()), word->fields["size"].get<long long>());
  EXPECT_EQ(bytes.text.substr(0, 2), "PK");
}

TEST_P(ConfluenceMock, ConfiguredSpacesOnlyAndAnUnknownOneNamed) {
  CollectSink sink;
  mock_->source(mock_->config("SP1"))->documents(sink, {});
  // Content is spread over SP0..SP2: SP1 holds every third.
  EXPECT_EQ(types_of(sink), (std::map<std::string, int>{
                                {"Space", 1}, {"page", 20}, {"blogpost", 20}, {"attachment", 40}}));
  CollectSink none;
  try {
    mock_->source(mock_->config("SP1, NOPE"))->documents(none, {});
    ADD_FAILURE() << "an unknown space was accepted";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("spaces 'NOPE' are not available"), std::string::npos)
        << e.what();
  }
}

TEST_P(ConfluenceMock, AWrongSecretFailsAtOnceNamingTheUser) {
  testing::expect_a_wrong_secret_named_by_user(*mock_);
}

TEST_P(ConfluenceMock, A429StormEndsWithEveryDocumentOnce) {
  testing::expect_a_429_storm_to_end_with_every_document_once(*mock_, "SP0", 1u + 40u + 40u);
}

TEST_P(ConfluenceMock, CqlRulesAreValidatedAndSyncWhatTheyFind) {
  auto source = mock_->source(mock_->config());
  auto* rules = source->advanced_rules();
  ASSERT_NE(rules, nullptr);
  json good =
      json::parse(R"([{"query": "space = SP2 AND type = blogpost"}, {"query": "id = 100000"}])");
  EXPECT_TRUE(rules->validate_advanced_rules(good, {}).valid);
  auto bad = rules->validate_advanced_rules(json::parse(R"([{"query": "label ~ nothing"}])"), {});
  EXPECT_FALSE(bad.valid);
  EXPECT_NE(bad.message.find("CQL query 'label ~ nothing' is not valid"), std::string::npos)
      << bad.message;
  EXPECT_FALSE(rules->validate_advanced_rules(json::parse(R"({"query": "x"})"), {}).valid);

  rules->set_advanced_rules(good);
  CollectSink sink;
  source->documents(sink, {});
  // SP2's 20 blog posts and their attachments, and page 100000 with its own; no spaces.
  EXPECT_EQ(types_of(sink),
            (std::map<std::string, int>{{"blogpost", 20}, {"page", 1}, {"attachment", 21}}));
}

INSTANTIATE_TEST_SUITE_P(Deployments, ConfluenceMock, ::testing::Values("cloud", "server"));

// ssl_enabled with ssl_ca: the connector's CA (as PEM text, also pasted on one
// line) is the one trusted, for the site and for the media host a Cloud
// download is redirected to; without it, or with another CA, the site is refused.
TEST(ConfluenceTls, TheConnectorsCaIsTrustedAndNoOtherCertificate) {
  AtlassianMock mock("confluence", "cloud", "--contents 2 --attachments 1", true);
  json values = mock.config("SP0");
  values["ssl_enabled"] = true;
  values["ssl_ca"] = mock.ca_pem();
  CollectSink sink;
  auto source = mock.source(values);
  source->ping({});
  source->documents(sink, {});
  const auto* word = sink.find("att1000000");
  ASSERT_NE(word, nullptr);
  testing::ByteSink bytes;
  word->content.fetch(bytes, 10485760, {});
  EXPECT_EQ(bytes.text.substr(0, 2), "PK");

  std::string one_line = mock.ca_pem();
  std::replace(one_line.begin(), one_line.end(), '\n', ' ');
  values["ssl_ca"] = one_line;
  EXPECT_NO_THROW(mock.source(values)->ping({}));

  values["ssl_enabled"] = false;  // the system's CAs do not know the test CA
  EXPECT_THROW(mock.source(values)->ping({}), SourceError);
  AtlassianMock other("confluence", "cloud", "", true);
  values["ssl_enabled"] = true;
  values["ssl_ca"] = other.ca_pem();
  try {
    mock.source(values)->ping({});
    ADD_FAILURE() << "a certificate of another CA was accepted";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("certificate"), std::string::npos) << e.what();
  }
  mock.expect_no_unknown_endpoint();
}

// DLS in the engine: content synced with `_allow_access_control`, identities
// written by an access-control sync, and each user's search finds exactly
// what Confluence lets them read.
class ConfluenceDls : public testing::SyncFixture,
                      public ::testing::WithParamInterface<std::string> {
 protected:
  void TearDown() override {
    if (client_ && client_->index_exists(acl_index())) client_->delete_index(acl_index());
    testing::SyncFixture::TearDown();
  }
  std::string acl_index() const { return ".search-acl-filter-" + index_; }
};

TEST_P(ConfluenceDls, EachUserFindsExactlyWhatTheyMayRead) {
  AtlassianMock mock("confluence", GetParam(), "--contents 20 --attachments 1 --users 4");
  json values = mock.config();
  values["use_document_level_security"] = true;
  auto source = mock.source(values);
  ASSERT_NE(source->access_control(), nullptr);
  source->access_control()->enable_document_level_security(true);
  auto result = sync(*source, options());
  ASSERT_EQ(result.status, sync::SyncStatus::kCompleted) << result.error;

  auto acl_options = options();
  acl_options.index = acl_index();
  auto identities = sync::run_access_control_sync(
      testing::fast_retry_options(testing::engine_url()), *source->access_control(), acl_options);
  ASSERT_EQ(identities.status, sync::SyncStatus::kCompleted) << identities.error;
  EXPECT_EQ(identities.indexed_document_count, 4) << "the app account has no identity";
  testing::expect_each_user_sees_exactly_their_documents(*client_, index_, acl_index(), mock, 4);
  mock.expect_no_unknown_endpoint();

  // Without the connector's DLS feature the toggle alone does nothing.
  auto plain = mock.source(values);
  plain->access_control()->enable_document_level_security(false);
  CollectSink sink;
  plain->documents(sink, {});
  EXPECT_FALSE(sink.docs.at(0).fields.contains("_allow_access_control"));
}

INSTANTIATE_TEST_SUITE_P(Deployments, ConfluenceDls, ::testing::Values("cloud", "server"));

}  // namespace
}  // namespace connectors
