// The fixture of the sync engine's integration tests: a test index on the
// engine, a client, helpers to run a sync of a registered source and to make a
// directory of files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "sources/generator/generator_source.h"
#include "sources/registry.h"
#include "support.h"
#include "sync/full_sync.h"

namespace connectors::testing {

using sync::SyncOptions;
using sync::SyncResult;

// What a generator configuration changes and deletes of an earlier one's documents.
struct GeneratorDiff {
  long long changed = 0;
  long long deleted = 0;
};

inline sources::GeneratorSettings generator_settings(const es::json& config) {
  sources::GeneratorSettings s;
  s.documents = config.value("documents", s.documents);
  s.document_size = config.value("document_size", s.document_size);
  s.generation = config.value("generation", s.generation);
  s.changed_fraction = config.value("changed_fraction", s.changed_fraction);
  s.deleted_fraction = config.value("deleted_fraction", s.deleted_fraction);
  return s;
}

inline GeneratorDiff generator_diff(const es::json& before, const es::json& after) {
  auto s0 = generator_settings(before);
  auto s1 = generator_settings(after);
  GeneratorDiff diff;
  for (long long i = 0; i < s0.documents; ++i) {
    auto now = sources::generate_document(s1, i);
    if (!now) ++diff.deleted;
    else if (now->timestamp != sources::generate_document(s0, i)->timestamp) ++diff.changed;
  }
  return diff;
}

class SyncFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ENGINE();
    client_ = std::make_unique<es::Client>(fast_retry_options(engine_url()));
    index_ = test_index("sync");
  }
  void TearDown() override {
    if (client_ && client_->index_exists(index_)) client_->delete_index(index_);
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  SyncOptions options() {
    SyncOptions o;
    o.index = index_;
    o.pipeline = "";  // pipelines are covered by their own test
    o.bulk.chunk_size = 200;
    o.bulk.max_concurrency = 3;
    o.bulk.retry_interval_s = 0.02;
    o.bulk.queue_refresh_timeout_s = 60;
    return o;
  }

  SyncResult sync(const std::string& type, const es::json& config, SyncOptions o,
                  const std::string& url = "", std::stop_token stop = {}) {
    auto source = sources::make_source(type, config);
    return sync(*source, std::move(o), url, stop);
  }
  // Runs the sync, then refreshes, so that count() sees what it wrote.
  SyncResult sync(sources::Source& source, SyncOptions o, const std::string& url = "",
                  std::stop_token stop = {}) {
    auto result =
        sync::run_full_sync(fast_retry_options(url.empty() ? engine_url() : url), source, o, stop);
    if (client_->index_exists(index_)) client_->refresh(index_);
    return result;
  }

  long long count() { return client_->count(index_); }

  void make_files(int n) {
    dir_ = std::filesystem::temp_directory_path() / ("sync-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "sub");
    for (int i = 0; i < n; ++i) {
      std::filesystem::path path = dir_ / (i % 3 == 0 ? "sub" : "") / ("file-" + std::to_string(i) + ".txt");
      std::ofstream(path) << "content of file " << i << "\n";
    }
  }

  std::unique_ptr<es::Client> client_;
  std::string index_;
  std::filesystem::path dir_;
};

}  // namespace connectors::testing
