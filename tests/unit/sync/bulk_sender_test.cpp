// BulkSender against a fake engine (a BulkPoster): 413 splitting down to the
// one oversized document, counters that hold every acknowledged item however
// the sender ends, and operations left without an answer.
#include "sync/bulk_sender.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <map>
#include <sstream>

#include "core/errors.h"

namespace connectors::sync {
namespace {

using es::json;

// An engine that refuses bodies over `max_body` bytes with 413 and, when told,
// fails some requests; it records the ids it indexed, and how often.
struct FakeEngine {
  size_t max_body = SIZE_MAX;
  std::function<void(int request)> before;  // may throw, or request a stop
  std::function<es::BulkItem(const std::string& id)> item = [](const std::string&) {
    return es::BulkItem{es::BulkOp::kIndex, "idx", "", 201, "created", "", ""};
  };
  std::map<std::string, int> indexed;
  std::map<std::string, std::string> sources;  // the last source sent per id
  int requests = 0;

  es::BulkResponse post(const std::string& body) {
    ++requests;
    if (before) before(requests);
    if (body.size() > max_body) throw es::EsError(413, "http_error", "", "POST /_bulk");
    es::BulkResponse response;
    std::istringstream lines(body);
    std::string meta;
    std::string source;
    while (std::getline(lines, meta) && std::getline(lines, source)) {
      std::string id = json::parse(meta)["index"]["_id"];
      sources[id] = source;
      es::BulkItem answer = item(id);
      if (answer.ok()) ++indexed[id];
      response.items.push_back(answer);
    }
    return response;
  }
  BulkPoster poster() {
    return [this](const std::string& body) { return post(body); };
  }
};

class BulkSenderTest : public ::testing::Test {
 protected:
  SenderSettings settings() {
    SenderSettings s;
    s.index = "idx";
    s.max_ops = 100;
    s.max_bytes = 1 << 20;
    s.retry_base = std::chrono::milliseconds(1);
    s.idle_flush = std::chrono::milliseconds(10);
    return s;
  }
  // `n` documents of about 100 bytes, "big" one of `big_bytes` instead of the one at `big_at`.
  void queue_documents(int n, int big_at = -1, size_t big_bytes = 0) {
    big_at_ = big_at;
    for (int i = 0; i < n; ++i) {
      Operation op{es::BulkOp::kIndex, "d" + std::to_string(i),
                   json{{"body", std::string(100, 'x')}}.dump()};
      if (i == big_at)
        op = {es::BulkOp::kIndex, "big", json{{"body", std::string(big_bytes, 'y')}}.dump()};
      queue_.push(op, op.bytes(), {});
    }
    queue_.close();
  }
  void expect_each_indexed_once(int n) {
    for (int i = 0; i < n; ++i) {
      if (i == big_at_) continue;
      EXPECT_EQ(engine_.indexed["d" + std::to_string(i)], 1) << i;
    }
  }

  int big_at_ = -1;
  FakeEngine engine_;
  OperationQueue queue_{100000, 1 << 30};
  SyncCounters counters_;
  ErrorMonitor monitor_{config::ErrorMonitorConfig{}};
};

TEST_F(BulkSenderTest, TooLargeRequestIsSplitDownToTheOversizedDocument) {
  engine_.max_body = 4000;  // about 20 documents of 100 bytes; "big" alone is over
  queue_documents(300, 137, 6000);
  BulkSender sender(engine_.poster(), settings(), counters_, monitor_);
  sender.run(queue_, {});
  expect_each_indexed_once(300);
  EXPECT_EQ(engine_.indexed.count("big"), 0u);
  EXPECT_EQ(counters_.indexed_document_count, 299);
  EXPECT_EQ(counters_.failed_document_count, 1);
  auto errors = monitor_.kept();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "big");
  EXPECT_EQ(errors[0].type, "request_entity_too_large");
  es::BulkBuilder alone;
  alone.add(es::BulkOp::kIndex, "idx", "big", json{{"body", std::string(6000, 'y')}}.dump());
  EXPECT_NE(errors[0].reason.find(std::to_string(alone.bytes()) + " bytes"), std::string::npos)
      << errors[0].reason;
  // Later batches aim below the limit instead of hitting it again and again.
  EXPECT_LT(sender.batch_bytes_target(), engine_.max_body);
  EXPECT_LT(engine_.requests, 100);
}

TEST_F(BulkSenderTest, HalvesKeepRetryingTransientFailures) {
  engine_.max_body = 3000;
  engine_.before = [](int request) {
    if (request % 3 == 0) throw es::EsError(429, "es_rejected_execution_exception", "busy");
  };
  queue_documents(200, 50, 5000);
  BulkSender sender(engine_.poster(), settings(), counters_, monitor_);
  sender.run(queue_, {});
  expect_each_indexed_once(200);
  EXPECT_EQ(counters_.indexed_document_count, 199);
  EXPECT_EQ(counters_.failed_document_count, 1);
  EXPECT_GT(counters_.bulk_retries, 0);
}

// A request body holds the only copy of its operations' sources while it is
// posted: whatever is sent again (a failed request, its halves, items the
// engine was too busy for) must carry its whole source.
TEST_F(BulkSenderTest, EverythingSentAgainCarriesItsWholeSource) {
  engine_.max_body = 3000;
  engine_.before = [](int request) {
    if (request % 4 == 0) throw es::EsError(503, "unavailable", "busy");
  };
  std::map<std::string, int> seen;
  engine_.item = [&](const std::string& id) {
    if (id.back() == '7' && seen[id]++ == 0) {  // busy for these, the first time
      return es::BulkItem{es::BulkOp::kIndex, "idx", id, 429, "", "es_rejected_execution_exception",
                          "queue full"};
    }
    return es::BulkItem{es::BulkOp::kIndex, "idx", id, 201, "created", "", ""};
  };
  queue_documents(120, 50, 5000);
  BulkSender sender(engine_.poster(), settings(), counters_, monitor_);
  sender.run(queue_, {});
  expect_each_indexed_once(120);
  long long volume = 0;
  for (int i = 0; i < 120; ++i) {
    if (i == 50) continue;
    std::string id = "d" + std::to_string(i);
    std::string expected = json{{"body", std::string(100, 'x')}}.dump();
    EXPECT_EQ(engine_.sources[id], expected) << id;
    volume += static_cast<long long>(expected.size());
  }
  EXPECT_GT(seen["d7"], 1) << "d7 was refused once, then sent again";
  EXPECT_EQ(counters_.indexed_document_count, 119);
  EXPECT_EQ(counters_.indexed_document_volume, volume);
}

TEST_F(BulkSenderTest, MonitorTrippingLeavesEveryAnsweredItemCounted) {
  engine_.item = [](const std::string& id) {
    if (id == "d1" || id == "d2" || id == "d3") {
      return es::BulkItem{es::BulkOp::kIndex,         "idx", id, 400, "",
                          "mapper_parsing_exception", "bad"};
    }
    return es::BulkItem{es::BulkOp::kIndex, "idx", id, 201, "created", "", ""};
  };
  config::ErrorMonitorConfig strict;
  strict.max_consecutive_errors = 1;
  ErrorMonitor monitor(strict);
  queue_documents(10);
  BulkSender sender(engine_.poster(), settings(), counters_, monitor);
  EXPECT_THROW(sender.run(queue_, {}), Error);
  EXPECT_EQ(engine_.indexed.size(), 7u);
  EXPECT_EQ(counters_.indexed_document_count, 7);  // not only those before the third error
  EXPECT_EQ(counters_.failed_document_count, 3);
}

TEST_F(BulkSenderTest, ScatteredItemErrorsAreNotConsecutive) {
  engine_.item = [](const std::string& id) {
    if (std::stoi(id.substr(1)) % 25 == 0) {  // 20 of 500: 4 %, never two in a row
      return es::BulkItem{es::BulkOp::kIndex,         "idx", id, 400, "",
                          "mapper_parsing_exception", "bad"};
    }
    return es::BulkItem{es::BulkOp::kIndex, "idx", id, 201, "created", "", ""};
  };
  auto s = settings();
  s.max_ops = 500;
  queue_documents(500);
  BulkSender sender(engine_.poster(), s, counters_, monitor_);  // at most 10 in a row
  sender.run(queue_, {});
  EXPECT_EQ(engine_.requests, 1);
  EXPECT_EQ(counters_.indexed_document_count, 480);
  EXPECT_EQ(counters_.failed_document_count, 20);
}

TEST_F(BulkSenderTest, StopAfterAnUnansweredRequestSaysTheOutcomeIsUnknown) {
  std::stop_source stop;
  engine_.before = [&](int) {
    stop.request_stop();  // the next attempt never comes
    throw es::EsError(0, "timeout", "Operation timed out");
  };
  auto s = settings();
  s.max_ops = 40;
  queue_documents(100);
  BulkSender sender(engine_.poster(), s, counters_, monitor_);
  EXPECT_THROW(sender.run(queue_, stop.get_token()), Cancelled);
  EXPECT_EQ(engine_.requests, 1);
  EXPECT_EQ(counters_.indexed_document_count, 0);
  EXPECT_EQ(counters_.unconfirmed_operations, 40);
}

TEST_F(BulkSenderTest, AnUnreadableAnswerLeavesItsOperationsUnconfirmed) {
  engine_.before = [](int) {
    throw es::EsError(500, "bad_bulk_response", "the _bulk answer is not a bulk response");
  };
  auto s = settings();
  s.max_ops = 40;
  queue_documents(100);
  BulkSender sender(engine_.poster(), s, counters_, monitor_);
  EXPECT_THROW(sender.run(queue_, {}), es::EsError);
  EXPECT_EQ(counters_.unconfirmed_operations, 40);
}

TEST_F(BulkSenderTest, StopCountsTheRequestInFlightAndSendsNothingNew) {
  std::stop_source stop;
  engine_.before = [&](int request) {
    if (request == 1) throw es::EsError(429, "es_rejected_execution_exception", "busy");
    stop.request_stop();  // while the engine works on the first 50 of the batch
  };
  queue_documents(100);
  BulkSender sender(engine_.poster(), settings(), counters_, monitor_);
  EXPECT_THROW(sender.run(queue_, stop.get_token()), Cancelled);
  EXPECT_EQ(engine_.requests, 2);  // the other 50 are never sent
  EXPECT_EQ(engine_.indexed.size(), 50u);
  EXPECT_EQ(counters_.indexed_document_count, 50);
  EXPECT_EQ(counters_.unconfirmed_operations, 0);
}

// queue_max_mem_size bounds what the senders hold too: a batch's bytes stay
// counted in the queue while its request is out, and are given back after.
TEST_F(BulkSenderTest, ABatchCountsInTheQueueUntilAnswered) {
  std::vector<size_t> held_during_post;
  engine_.before = [&](int) { held_during_post.push_back(queue_.bytes()); };
  queue_documents(30);
  size_t total = queue_.bytes();
  SenderSettings s = settings();
  s.max_ops = 10;
  BulkSender sender(engine_.poster(), s, counters_, monitor_);
  sender.run(queue_, {});
  ASSERT_EQ(held_during_post.size(), 3u);
  EXPECT_EQ(held_during_post[0], total) << "10 sent, 20 waiting: all counted";
  size_t last_ten = 0;
  for (int i = 20; i < 30; ++i) {
    last_ten += Operation{es::BulkOp::kIndex, "d" + std::to_string(i),
                          json{{"body", std::string(100, 'x')}}.dump()}
                    .bytes();
  }
  EXPECT_EQ(held_during_post[2], last_ten) << "the first 20 were given back once answered";
  EXPECT_EQ(queue_.bytes(), 0u);
  expect_each_indexed_once(30);
}

TEST_F(BulkSenderTest, OperationsLoggingNamesEachAnsweredOperation) {
  engine_.item = [](const std::string& id) {
    if (id == "d1")
      return es::BulkItem{es::BulkOp::kIndex,         "idx", id, 400, "",
                          "mapper_parsing_exception", "bad"};
    return es::BulkItem{es::BulkOp::kIndex, "idx", id, 201, "created", "", ""};
  };
  queue_documents(3);
  SenderSettings s = settings();
  s.log_operations = true;
  BulkSender sender(engine_.poster(), s, counters_, monitor_);
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out)));
  sender.run(queue_, {});
  spdlog::set_default_logger(previous);
  std::string logged = out.str();
  EXPECT_NE(logged.find("bulk index of document d0: created"), std::string::npos) << logged;
  EXPECT_NE(logged.find("bulk index of document d1: HTTP 400 mapper_parsing_exception: bad"),
            std::string::npos)
      << logged;
  EXPECT_NE(logged.find("bulk index of document d2: created"), std::string::npos) << logged;
}

}  // namespace
}  // namespace connectors::sync
