// The elastic-ingest service against the real engine, as a separate process.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "protocol/statuses.h"
#include "service_support.h"
#include "sync_support.h"

namespace connectors::service {
namespace {

namespace fs = std::filesystem;
using namespace connectors::testing;
using protocol::json;
namespace job_status = protocol::job_status;

// Every test runs twice: with the system indices elastic-ingest creates, and
// with those the Python framework 8.9 creates (no job_type in the jobs
// mapping, concrete indices without aliases): see reset_system_indices.
class ServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    REQUIRE_ENGINE();
    client_ = std::make_unique<es::Client>(fast_retry_options(engine_url()));
    reset_system_indices(*client_, GetParam());
    connectors_ = std::make_unique<protocol::ConnectorStore>(*client_);
    jobs_ = std::make_unique<protocol::JobStore>(*client_);
    prefix_ = test_index("svc");
    dir_ = fs::temp_directory_path() / prefix_;
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    for (const auto& index : indices_) {
      if (client_->index_exists(index)) client_->delete_index(index);
    }
    fs::remove_all(dir_);
  }

  std::string make_files(int n) {
    fs::path files = dir_ / "files";
    fs::create_directories(files);
    for (int i = 0; i < n; ++i) std::ofstream(files / ("f" + std::to_string(i) + ".txt")) << "file " << i;
    return files.string();
  }
  std::string index(const std::string& stem) {
    indices_.push_back(prefix_ + "-" + stem);
    return indices_.back();
  }
  std::string config(const std::vector<std::string>& ids, const std::string& name = "config.yml",
                     const std::string& extra = "") {
    return write_service_config((dir_ / name).string(), ids, extra);
  }
  std::string log(const std::string& name = "service.log") { return (dir_ / name).string(); }
  std::string status_of(const std::string& job_id) {
    auto job = jobs_->get(job_id);
    return job ? job->status() : "missing";
  }
  bool reaches(const std::string& job_id, const std::string& status, int seconds) {
    return eventually([&] { return status_of(job_id) == status; }, std::chrono::seconds(seconds));
  }

  std::unique_ptr<es::Client> client_;
  std::unique_ptr<protocol::ConnectorStore> connectors_;
  std::unique_ptr<protocol::JobStore> jobs_;
  std::string prefix_;
  fs::path dir_;
  std::vector<std::string> indices_;
};

TEST_P(ServiceTest, OnDemandThenScheduledSyncWithCounters) {
  std::string id = prefix_ + "-c1";
  std::string target = index("dir");
  create_connector(*connectors_, id, "dir", target, {{"directory", make_files(25)}});
  ServiceProcess service(config({id}), log());
  auto connector = connectors_->get(id);
  std::string job_id = jobs_->create(*connector, "full", "on_demand");
  ASSERT_TRUE(reaches(job_id, job_status::kCompleted, 60)) << status_of(job_id) << "\n" << service.log();
  auto job = jobs_->get(job_id);
  EXPECT_EQ(job->doc.source["indexed_document_count"], 25);
  EXPECT_EQ(job->doc.source["deleted_document_count"], 0);
  EXPECT_EQ(job->doc.source["total_document_count"], 25);
  EXPECT_FALSE(job->doc.str("started_at").empty());
  EXPECT_FALSE(job->doc.str("completed_at").empty());
  EXPECT_FALSE(job->doc.str("worker_hostname").empty());
  // The connector is updated right after the job.
  ASSERT_TRUE(eventually([&] { return connectors_->get(id)->last_sync_status() == "completed"; },
                         std::chrono::seconds(10)));
  auto after = connectors_->get(id);
  EXPECT_EQ(after->status(), "connected");
  EXPECT_EQ(after->doc.source["last_indexed_document_count"], 25);
  EXPECT_FALSE(after->last_seen().empty());

  // Every minute: the next tick comes within 60 s and makes exactly one job.
  connectors_->store().update(id, [](const protocol::StoredDoc&) -> std::optional<json> {
    return json{{"scheduling", {{"full", {{"enabled", true}, {"interval", "0 * * * * ?"}}}}}};
  });
  std::vector<protocol::SyncJob> scheduled;
  ASSERT_TRUE(eventually([&] {
    scheduled.clear();
    for (auto& j : jobs_->of_connector(id)) {
      if (j.doc.str("trigger_method") == "scheduled") scheduled.push_back(j);
    }
    return !scheduled.empty() && scheduled[0].status() == job_status::kCompleted;
  }, std::chrono::seconds(90))) << service.log();
  EXPECT_EQ(scheduled.size(), 1u);
  EXPECT_EQ(scheduled[0].doc.source["indexed_document_count"], 0);  // nothing changed
  EXPECT_EQ(client_->count(target), 25);
}

TEST_P(ServiceTest, TwoInstancesRunEachOfThirtyJobsExactlyOnce) {
  std::vector<std::string> ids;
  for (int c = 0; c < 3; ++c) {
    ids.push_back(prefix_ + "-m" + std::to_string(c));
    create_connector(*connectors_, ids.back(), "generator", index("m" + std::to_string(c)),
                     {{"documents", 50}, {"document_size", 200}});
  }
  std::vector<std::string> job_ids;
  for (int i = 0; i < 30; ++i) {
    auto connector = connectors_->get(ids[static_cast<size_t>(i % 3)]);
    job_ids.push_back(jobs_->create(*connector, "full", "on_demand"));
  }
  std::string cfg = config(ids);
  ServiceProcess a(cfg, log("a.log"));
  ServiceProcess b(cfg, log("b.log"));
  ASSERT_TRUE(eventually([&] {
    for (const auto& j : job_ids) {
      if (status_of(j) != job_status::kCompleted) return false;
    }
    return true;
  }, std::chrono::seconds(240))) << a.log() << b.log();
  std::string logs = a.log() + b.log();
  for (const auto& j : job_ids) {
    EXPECT_EQ(count_occurrences(logs, "Sync job id: " + j + "] full sync started"), 1u) << j;
  }
  EXPECT_GT(count_occurrences(a.log(), "sync started"), 0u) << "instance a ran nothing";
  EXPECT_GT(count_occurrences(b.log(), "sync started"), 0u) << "instance b ran nothing";
}

TEST_P(ServiceTest, KillNineMidSyncThenRestartRecovers) {
  std::string id = prefix_ + "-k";
  std::string target = index("k");
  // 20 000 documents at 0.5 ms each: about 10 s of syncing.
  create_connector(*connectors_, id, "generator", target, {{"documents", 20000}, {"delay_us", 500}});
  auto connector = connectors_->get(id);
  std::string first;
  {
    ServiceProcess service(config({id}), log());
    first = jobs_->create(*connector, "full", "on_demand");
    ASSERT_TRUE(reaches(first, job_status::kInProgress, 30)) << service.log();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    service.stop(SIGKILL);
  }
  // The idle threshold is 300 s here: only recognising the dead process ends the job in time.
  ServiceProcess restarted(config({id}, "restart.yml", "  idle_job_threshold: 300\n"), log("restarted.log"));
  auto restarted_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(reaches(first, job_status::kError, 60)) << restarted.log();
  EXPECT_LT(std::chrono::steady_clock::now() - restarted_at, std::chrono::seconds(60));
  EXPECT_NE(jobs_->get(first)->doc.str("error").find("stopped without ending it"), std::string::npos)
      << jobs_->get(first)->doc.str("error");
  std::string second = jobs_->create(*connectors_->get(id), "full", "on_demand");
  ASSERT_TRUE(reaches(second, job_status::kCompleted, 90)) << restarted.log();
  client_->refresh(target);
  EXPECT_EQ(client_->count(target), 20000);
}

TEST_P(ServiceTest, CancelStopsARunningSync) {
  std::string id = prefix_ + "-x";
  std::string target = index("x");
  create_connector(*connectors_, id, "generator", target, {{"documents", 100000}, {"delay_us", 500}});
  ServiceProcess service(config({id}), log());
  std::string job_id = jobs_->create(*connectors_->get(id), "full", "on_demand");
  ASSERT_TRUE(reaches(job_id, job_status::kInProgress, 30)) << service.log();
  // Cancel once documents are in (a fixed wait raced the first _bulk on a loaded machine).
  auto indexed = [&] {
    if (!client_->index_exists(target)) return false;
    client_->refresh(target);
    return client_->count(target) > 0;
  };
  ASSERT_TRUE(eventually(indexed, std::chrono::seconds(30))) << service.log();
  ASSERT_TRUE(jobs_->cancel(job_id));
  auto asked = std::chrono::steady_clock::now();
  ASSERT_TRUE(reaches(job_id, job_status::kCanceled, 15)) << service.log();
  auto took = std::chrono::steady_clock::now() - asked;
  EXPECT_LT(took, std::chrono::milliseconds(2500)) << "polled every 200 ms";
  auto job = jobs_->get(job_id);
  EXPECT_FALSE(job->doc.str("canceled_at").empty());
  // The job's counters are what the engine acknowledged.
  client_->refresh(target);
  EXPECT_EQ(job->doc.source["indexed_document_count"].get<long long>(), client_->count(target));
  EXPECT_GT(client_->count(target), 0);
  EXPECT_TRUE(eventually([&] { return connectors_->get(id)->last_sync_status() == "canceled"; },
                         std::chrono::seconds(10)));
}

TEST_P(ServiceTest, SigtermSuspendsAndRestartResumes) {
  std::string id = prefix_ + "-t";
  std::string target = index("t");
  create_connector(*connectors_, id, "generator", target, {{"documents", 12000}, {"delay_us", 500}});
  std::string job_id;
  {
    ServiceProcess service(config({id}), log());
    job_id = jobs_->create(*connectors_->get(id), "full", "on_demand");
    ASSERT_TRUE(reaches(job_id, job_status::kInProgress, 30)) << service.log();
    std::this_thread::sleep_for(std::chrono::seconds(1));
    int status = service.stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << service.log();
  }
  EXPECT_EQ(status_of(job_id), job_status::kSuspended);
  EXPECT_EQ(connectors_->get(id)->last_sync_status(), "suspended");  // written before the exit
  ServiceProcess restarted(config({id}), log("restarted.log"));
  ASSERT_TRUE(reaches(job_id, job_status::kCompleted, 90)) << restarted.log();
  client_->refresh(target);
  EXPECT_EQ(client_->count(target), 12000);
}

TEST_P(ServiceTest, JobsCarrySecretsAsKibanaDoesUnlessRedacted) {
  std::string id = prefix_ + "-s";
  std::string target = index("s");
  json doc = protocol::new_connector_document("secret", target, "generator",
                                              {{"password", {{"value", "hunter2-secret"}, {"sensitive", true}}},
                                               {"documents", {{"value", 5}, {"sensitive", false}}}});
  connectors_->create(doc, id);
  // As Kibana and the Python framework: the whole configuration, which the Python service runs from.
  auto copied = jobs_->get(jobs_->create(*connectors_->get(id), "full", "on_demand"));
  EXPECT_EQ(copied->configuration()["password"]["value"], "hunter2-secret");
  jobs_->cancel(copied->id());
  // service.redact_job_secrets: no secret in the job, and our service still runs it.
  std::string job_id = jobs_->create(*connectors_->get(id), "full", "on_demand", true);
  auto job = jobs_->get(job_id);
  EXPECT_EQ(job->doc.source.dump().find("hunter2-secret"), std::string::npos);
  EXPECT_EQ(job->configuration()["documents"]["value"], 5);
  ServiceProcess service(config({id}, "config.yml", "  redact_job_secrets: true\n"), log());
  ASSERT_TRUE(reaches(job_id, job_status::kCompleted, 60)) << service.log();
  EXPECT_EQ(jobs_->get(job_id)->doc.source["indexed_document_count"], 5);
  EXPECT_EQ(service.log().find("hunter2-secret"), std::string::npos);
}

TEST_P(ServiceTest, NativeServiceTypesServeNativeConnectorsOfThoseTypes) {
  std::string native_id = prefix_ + "-n1";
  std::string other_type = prefix_ + "-n2";
  std::string not_native = prefix_ + "-n3";
  auto make = [&](const std::string& id, const std::string& type, bool is_native, const json& values) {
    auto schema = sources::schema_to_json(sources::find_source(type)->schema());
    for (const auto& [key, value] : values.items()) schema[key]["value"] = value;
    connectors_->create(protocol::new_connector_document(id, index(id), type, schema, is_native), id);
  };
  make(native_id, "generator", true, {{"documents", 9}});
  make(other_type, "dir", true, {{"directory", make_files(2)}});
  make(not_native, "generator", false, {{"documents", 3}});
  std::string served = jobs_->create(*connectors_->get(native_id), "full", "on_demand");
  std::string unserved_type = jobs_->create(*connectors_->get(other_type), "full", "on_demand");
  std::string unserved_custom = jobs_->create(*connectors_->get(not_native), "full", "on_demand");
  // The Python framework 8.9's layout: no `connectors` list, the placeholder connector_id.
  std::string path = (dir_ / "native.yml").string();
  std::ofstream(path) << "elasticsearch:\n  host: " << engine_url() << "\n"
                      << "service:\n  idling: 1\n  heartbeat: 2\n  job_cleanup_interval: 1\n"
                      << "native_service_types:\n  - generator\n  - mysql\n"
                      << "connector_id: 'changeme'\nservice_type: 'changeme'\n";
  ServiceProcess service(path, log());
  ASSERT_TRUE(reaches(served, job_status::kCompleted, 60)) << service.log();
  EXPECT_EQ(jobs_->get(served)->doc.source["indexed_document_count"], 9);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // three more polls
  EXPECT_EQ(status_of(unserved_type), job_status::kPending);
  EXPECT_EQ(status_of(unserved_custom), job_status::kPending);
}

// The dir source has neither incremental sync nor document-level security:
// its jobs of those types end error naming the type, never run as full syncs.
TEST_P(ServiceTest, JobsOfTypesTheServiceDoesNotRunEndAsErrorNamingTheType) {
  std::string id = prefix_ + "-u";
  create_connector(*connectors_, id, "dir", index("u"), {{"directory", make_files(4)}});
  auto connector = connectors_->get(id);
  // Jobs as other tools may write them: the whole document, job_type changed or left out.
  auto with_type = [&](const json& type) {
    std::string job_id = jobs_->create(*connector, "full", "on_demand");
    json source = jobs_->get(job_id)->doc.source;
    if (type.is_null()) {
      source.erase("job_type");
    } else {
      source["job_type"] = type;
    }
    client_->index_document(protocol::kJobsIndex, job_id, source);
    return job_id;
  };
  std::string unknown = with_type("bogus");
  std::string absent = with_type(nullptr);
  std::string acl = jobs_->create(*connector, "access_control", "on_demand");
  std::string incremental = jobs_->create(*connector, "incremental", "on_demand");
  std::string full = jobs_->create(*connector, "full", "on_demand");
  ServiceProcess service(config({id}), log());
  ASSERT_TRUE(reaches(full, job_status::kCompleted, 60)) << service.log();
  EXPECT_EQ(jobs_->get(full)->doc.source["indexed_document_count"], 4);
  for (const auto& [job_id, words] :
       {std::pair{unknown, "'bogus'"}, std::pair{absent, "no job_type"},
        std::pair{acl, "'access_control'"}, std::pair{incremental, "'incremental'"}}) {
    ASSERT_TRUE(reaches(job_id, job_status::kError, 20)) << job_id << "\n" << service.log();
    auto job = jobs_->get(job_id);
    EXPECT_NE(job->doc.str("error").find(words), std::string::npos) << job->doc.str("error");
    EXPECT_FALSE(job->doc.str("completed_at").empty());
    EXPECT_NE(service.log().find(job_id), std::string::npos) << "no log line names job " << job_id;
  }
  EXPECT_EQ(count_occurrences(service.log(), "sync started"), 1u) << "only the full job ran\n"
                                                                  << service.log();
}

TEST_P(ServiceTest, IncrementalAndAccessControlJobsOfTheGeneratorRunAndReport) {
  std::string id = prefix_ + "-i";
  std::string target = index("i");
  indices_.push_back(protocol::access_control_index(target));
  json first = {{"documents", 300},
                {"document_size", 300},
                {"identities", 3},
                {"use_document_level_security", true}};
  create_connector(*connectors_, id, "generator", target, first);
  ServiceProcess service(config({id}), log());
  // The service writes the source's features before any job needs them.
  ASSERT_TRUE(eventually(
      [&] {
        json features = connectors_->get(id)->features();
        return features.contains("incremental_sync") &&
               features["incremental_sync"]["enabled"] == true &&
               features["document_level_security"]["enabled"] == true;
      },
      std::chrono::seconds(20)))
      << service.log();

  std::string full = jobs_->create(*connectors_->get(id), "full", "on_demand");
  ASSERT_TRUE(reaches(full, job_status::kCompleted, 60)) << service.log();
  ASSERT_TRUE(eventually([&] { return connectors_->get(id)->sync_cursor().is_object(); },
                         std::chrono::seconds(10)));
  json cursor = connectors_->get(id)->sync_cursor();
  EXPECT_EQ(cursor["generation"], 0);

  // A later generation: the incremental job writes exactly what changed.
  json second = first;
  second.update({{"generation", 1}, {"changed_fraction", 0.2}, {"deleted_fraction", 0.1}});
  connectors_->store().update(id, [&](const protocol::StoredDoc& doc) -> std::optional<json> {
    json configuration = doc.source["configuration"];
    for (const auto& [key, value] : second.items()) configuration[key]["value"] = value;
    return json{{"configuration", configuration}};
  });
  std::string incremental = jobs_->create(*connectors_->get(id), "incremental", "on_demand");
  ASSERT_TRUE(reaches(incremental, job_status::kCompleted, 60))
      << jobs_->get(incremental)->doc.str("error") << service.log();
  auto diff = generator_diff(first, second);
  ASSERT_GT(diff.changed, 0);
  ASSERT_GT(diff.deleted, 0);
  auto job = jobs_->get(incremental);
  EXPECT_EQ(job->doc.source["indexed_document_count"], diff.changed);
  EXPECT_EQ(job->doc.source["deleted_document_count"], diff.deleted);
  EXPECT_EQ(job->doc.source["total_document_count"], 300 - diff.deleted);
  EXPECT_EQ(job->doc.source["connector"]["sync_cursor"], cursor)
      << "the claim records the cursor it starts from";
  ASSERT_TRUE(eventually([&] { return connectors_->get(id)->sync_cursor()["generation"] == 1; },
                         std::chrono::seconds(10)));
  EXPECT_EQ(connectors_->get(id)->doc.source["last_indexed_document_count"], diff.changed);

  // The access-control job fills the ACL index; the content carries its identities.
  std::string acl = jobs_->create(*connectors_->get(id), "access_control", "on_demand");
  ASSERT_TRUE(reaches(acl, job_status::kCompleted, 60))
      << jobs_->get(acl)->doc.str("error") << service.log();
  job = jobs_->get(acl);
  EXPECT_EQ(job->index_name(), protocol::access_control_index(target));
  EXPECT_EQ(job->doc.source["indexed_document_count"], 3);
  EXPECT_EQ(job->doc.source["total_document_count"], 3);
  client_->refresh(protocol::access_control_index(target));
  EXPECT_EQ(client_->count(protocol::access_control_index(target)), 3);
  ASSERT_TRUE(eventually(
      [&] {
        return connectors_->get(id)->doc.str("last_access_control_sync_status") == "completed";
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(connectors_->get(id)->sync_cursor()["generation"], 1)
      << "an access-control job keeps the cursor";
  client_->refresh(target);
  EXPECT_EQ(client_->count(target, {{"exists", {{"field", "_allow_access_control"}}}}),
            300 - diff.deleted);
}

TEST_P(ServiceTest, SchedulingCreatesIncrementalAndAccessControlJobsForSourcesThatHaveThem) {
  std::string generator = prefix_ + "-sg";
  std::string dir = prefix_ + "-sd";
  create_connector(*connectors_, generator, "generator", index("sg"), {{"documents", 5}});
  create_connector(*connectors_, dir, "dir", index("sd"), {{"directory", make_files(2)}});
  json every_minute = {{"enabled", true}, {"interval", "0 * * * * ?"}};
  for (const auto& id : {generator, dir}) {
    connectors_->store().update(id, [&](const protocol::StoredDoc&) -> std::optional<json> {
      return json{{"scheduling",
                   {{"full", every_minute},
                    {"incremental", every_minute},
                    {"access_control", every_minute}}}};
    });
  }
  ServiceProcess service(config({generator, dir}), log());
  auto scheduled_types = [&](const std::string& id) {
    std::multiset<std::string> types;
    for (auto& j : jobs_->of_connector(id)) {
      if (j.doc.str("trigger_method") == "scheduled") types.insert(j.job_type());
    }
    return types;
  };
  ASSERT_TRUE(eventually(
      [&] { return scheduled_types(generator).size() >= 3 && !scheduled_types(dir).empty(); },
      std::chrono::seconds(90)))
      << service.log();
  EXPECT_EQ(scheduled_types(generator),
            (std::multiset<std::string>{"access_control", "full", "incremental"}));
  EXPECT_EQ(scheduled_types(dir), (std::multiset<std::string>{"full"}));
  auto connector = connectors_->get(generator);
  EXPECT_FALSE(connector->last_scheduled_at("incremental").empty());
  EXPECT_FALSE(connector->last_scheduled_at("access_control").empty());
  EXPECT_TRUE(connectors_->get(dir)->last_scheduled_at("incremental").empty());
}

// `connectors sync --connector-id` and the service build the job in one
// place: the same connector gives the same documents either way — basic
// rules, pipeline flags and document-level security included.
TEST_P(ServiceTest, CliAndServiceSyncAConnectorIntoIdenticalIndices) {
  std::string id = prefix_ + "-w";
  std::string by_service = index("w-service");
  std::string by_cli = index("w-cli");
  create_connector(
      *connectors_, id, "generator", by_service,
      {{"documents", 60}, {"document_size", 200}, {"use_document_level_security", true}});
  connectors_->store().update(id, [&](const protocol::StoredDoc& doc) -> std::optional<json> {
    json filtering = doc.source["filtering"];
    filtering[0]["active"]["rules"] = json::array({{{"id", "odd"},
                                                    {"policy", "exclude"},
                                                    {"field", "number"},
                                                    {"rule", ">"},
                                                    {"value", "39"},
                                                    {"order", 0}},
                                                   {{"id", "DEFAULT"},
                                                    {"policy", "include"},
                                                    {"field", "_"},
                                                    {"rule", "regex"},
                                                    {"value", ".*"},
                                                    {"order", 1}}});
    return json{{"filtering", filtering},
                {"pipeline",
                 {{"name", "ent-search-generic-ingestion"},
                  {"run_ml_inference", false},
                  {"reduce_whitespace", true},
                  {"extract_binary_content", false}}}};
  });
  ServiceProcess service(config({id}), log());
  // The service writes the source's features (a new connector has them all off).
  ASSERT_TRUE(eventually(
      [&] {
        return connectors_->get(id)->features()["document_level_security"]["enabled"] == true;
      },
      std::chrono::seconds(20)))
      << service.log();
  std::string job = jobs_->create(*connectors_->get(id), "full", "on_demand");
  ASSERT_TRUE(reaches(job, job_status::kCompleted, 60)) << service.log();
  service.stop();
  std::string cli_log = log("cli.log");
  ASSERT_EQ(run_connectors({"sync", "--connector-id", id, "--index", by_cli, "-c",
                            (dir_ / "config.yml").string(), "--no-id-cache", "-q"},
                           cli_log),
            0)
      << std::ifstream(cli_log).rdbuf();

  auto documents = [&](const std::string& name) {
    client_->refresh(name);
    std::map<std::string, json> out;
    auto hits = client_->search(name, {{"size", 1000}, {"query", {{"match_all", json::object()}}}});
    for (const auto& hit : hits["hits"]["hits"]) out[hit["_id"]] = hit["_source"];
    return out;
  };
  auto service_docs = documents(by_service);
  EXPECT_EQ(service_docs.size(), 40u) << "the rule excludes 40..59";
  EXPECT_TRUE(service_docs.begin()->second.contains("_allow_access_control"));
  EXPECT_EQ(documents(by_cli), service_docs);
}

// No example value stands in for what the user did not set (issue: a
// connector without `host` synced 127.0.0.1).
TEST_P(ServiceTest, AMissingRequiredFieldPutsTheConnectorAndItsJobInError) {
  std::string id = prefix_ + "-r";
  create_connector(*connectors_, id, "mysql", index("r"),
                   {{"port", 3306}, {"user", "u"}, {"password", "p"}, {"database", "d"}});  // no host
  std::string job_id = jobs_->create(*connectors_->get(id), "full", "on_demand");
  ServiceProcess service(config({id}), log());
  ASSERT_TRUE(reaches(job_id, job_status::kError, 60)) << service.log();
  EXPECT_NE(jobs_->get(job_id)->doc.str("error").find("host"), std::string::npos) << jobs_->get(job_id)->doc.str("error");
  ASSERT_TRUE(eventually([&] { return connectors_->get(id)->status() == "error"; }, std::chrono::seconds(20)))
      << service.log();
  EXPECT_NE(connectors_->get(id)->doc.str("error").find("host"), std::string::npos);
  EXPECT_EQ(service.log().find("127.0.0.1:3306"), std::string::npos) << "it must not try a default host";
}

TEST_P(ServiceTest, FeaturesAreWrittenAsThePythonServiceWritesThem) {
  std::string own = prefix_ + "-f1";
  std::string native = prefix_ + "-f2";
  create_connector(*connectors_, own, "mysql", index("f1"), {{"host", "127.0.0.1"}});
  connectors_->store().update(own, [](const protocol::StoredDoc&) -> std::optional<json> {
    return json{{"features", nullptr}};
  });
  auto schema = sources::schema_to_json(sources::find_source("generator")->schema());
  json doc = protocol::new_connector_document(native, index("f2"), "generator", schema, true);
  doc["features"] = {{"incremental_sync", {{"enabled", true}}}};  // a native connector's own: kept
  connectors_->create(doc, native);
  std::string path = (dir_ / "features.yml").string();
  write_service_config(path, {own}, "native_service_types: [generator]\n");
  ServiceProcess service(path, log());
  ASSERT_TRUE(eventually([&] { return connectors_->get(own)->doc.source["features"].is_object(); },
                         std::chrono::seconds(20))) << service.log();
  json features = connectors_->get(own)->doc.source["features"];
  EXPECT_EQ(features["sync_rules"]["basic"]["enabled"], true);
  EXPECT_EQ(features["sync_rules"]["advanced"]["enabled"], true);  // mysql has advanced rules
  EXPECT_EQ(features["document_level_security"]["enabled"], false);
  EXPECT_EQ(features["incremental_sync"]["enabled"], false);
  ASSERT_TRUE(eventually([&] { return connectors_->get(native)->doc.source["features"].contains("sync_rules"); },
                         std::chrono::seconds(20))) << service.log();
  json native_features = connectors_->get(native)->doc.source["features"];
  EXPECT_EQ(native_features["incremental_sync"]["enabled"], true);
  EXPECT_EQ(native_features["sync_rules"]["advanced"]["enabled"], false);
}

TEST_P(ServiceTest, ConnectorWrittenLikeKibanaIsPickedUp) {
  std::string id = prefix_ + "-kb";
  std::string target = index("kb");
  std::string files = make_files(7);
  // The shape Kibana (and the Python framework's `connectors` CLI) writes: no
  // configuration yet, status created→needs_configuration, nulls everywhere.
  json doc = {{"api_key_id", nullptr}, {"configuration", json::object()}, {"custom_scheduling", json::object()},
              {"description", ""}, {"error", nullptr}, {"features", json::object()},
              {"filtering", json::array()}, {"index_name", target}, {"is_native", false},
              {"language", "en"}, {"last_seen", nullptr}, {"last_sync_error", nullptr},
              {"last_sync_status", nullptr}, {"last_synced", nullptr}, {"name", "from kibana"},
              {"pipeline", {{"extract_binary_content", true}, {"name", "ent-search-generic-ingestion"},
                            {"reduce_whitespace", true}, {"run_ml_inference", false}}},
              {"scheduling", {{"full", {{"enabled", false}, {"interval", "0 0 0 * * ?"}}}}},
              {"service_type", "dir"}, {"status", "created"}, {"sync_now", false}};
  connectors_->create(doc, id);
  ServiceProcess service(config({id}), log());
  // The service publishes the dir source's schema and asks for configuration.
  ASSERT_TRUE(eventually([&] { return connectors_->get(id)->status() == "needs_configuration"; },
                         std::chrono::seconds(20))) << service.log();
  auto published = connectors_->get(id)->configuration();
  ASSERT_TRUE(published.contains("directory"));
  EXPECT_EQ(published["directory"]["label"], "Directory path");
  // Kibana saves the user's values and sets the status to configured.
  connectors_->store().update(id, [&](const protocol::StoredDoc& d) -> std::optional<json> {
    json configuration = d.source["configuration"];
    configuration["directory"]["value"] = files;
    return json{{"configuration", configuration}, {"status", "configured"}};
  });
  ASSERT_TRUE(eventually([&] { return connectors_->get(id)->status() == "connected"; },
                         std::chrono::seconds(20))) << service.log();
  std::string job_id = jobs_->create(*connectors_->get(id), "full", "on_demand");
  ASSERT_TRUE(reaches(job_id, job_status::kCompleted, 60)) << service.log();
  client_->refresh(target);
  EXPECT_EQ(client_->count(target), 7);
}

INSTANTIATE_TEST_SUITE_P(SystemIndices, ServiceTest, ::testing::Values("ours", "python_8_9"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace connectors::service
