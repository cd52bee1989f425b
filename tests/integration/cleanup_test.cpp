// The job cleanup pass against the real engine: a job it ends keeps the
// counters its runner last reported.
#include "service/cleanup.h"

#include <gtest/gtest.h>

#include <thread>

#include "protocol/statuses.h"
#include "service_support.h"

namespace connectors::service {
namespace {

using namespace connectors::testing;
namespace job_status = protocol::job_status;

class CleanupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ENGINE();
    client_ = std::make_unique<es::Client>(fast_retry_options(engine_url()));
    reset_system_indices(*client_, "ours");
    connectors_ = std::make_unique<protocol::ConnectorStore>(*client_);
    jobs_ = std::make_unique<protocol::JobStore>(*client_);
    prefix_ = test_index("cleanup");
  }

  // A running job of a new generator connector that reported counters.
  std::string running_job(const std::string& connector_id) {
    create_connector(*connectors_, connector_id, "generator", prefix_ + "-content",
                     {{"documents", 1}});
    std::string job_id = jobs_->create(*connectors_->get(connector_id), "full", "on_demand");
    EXPECT_TRUE(jobs_->claim(job_id, "somewhere", nullptr));
    jobs_->report(job_id, {7, 3LL << 20, 2});
    return job_id;
  }

  void expect_reported_counters(const std::string& job_id) {
    auto job = jobs_->get(job_id);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->status(), job_status::kError);
    EXPECT_EQ(job->doc.source.value("indexed_document_count", -1LL), 7);
    EXPECT_EQ(job->doc.source.value("indexed_document_volume", -1LL), 3);
    EXPECT_EQ(job->doc.source.value("deleted_document_count", -1LL), 2);
  }

  std::unique_ptr<es::Client> client_;
  std::unique_ptr<protocol::ConnectorStore> connectors_;
  std::unique_ptr<protocol::JobStore> jobs_;
  std::string prefix_;
};

TEST_F(CleanupTest, AnIdleJobEndsWithTheCountersItReported) {
  std::string id = prefix_ + "-idle";
  std::string job_id = running_job(id);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // last_seen is now in the past
  client_->refresh(protocol::kJobsIndex);
  EXPECT_EQ(clean_up_jobs(*connectors_, *jobs_, {id}, std::chrono::seconds(0)), 1);
  expect_reported_counters(job_id);
}

TEST_F(CleanupTest, AJobOfADeletedConnectorEndsWithTheCountersItReported) {
  std::string id = prefix_ + "-orphan";
  std::string job_id = running_job(id);
  client_->delete_document(protocol::kConnectorsIndex, id);
  client_->refresh(protocol::kConnectorsIndex);
  client_->refresh(protocol::kJobsIndex);
  EXPECT_EQ(clean_up_jobs(*connectors_, *jobs_, {}, std::chrono::seconds(300)), 1);
  expect_reported_counters(job_id);
}

}  // namespace
}  // namespace connectors::service
