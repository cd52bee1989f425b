// The `connectors` management commands, run as the built binary (the
// `connectors` next to this test binary) against the engine: connector
// create/list, job start/list/view/cancel, index list/clean/delete, login.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "support.h"

namespace connectors::cli {
namespace {

namespace fs = std::filesystem;
using connectors::testing::engine_url;
using connectors::testing::fast_retry_options;
using connectors::testing::test_index;
using es::json;

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path connectors_binary() { return fs::read_symlink("/proc/self/exe").parent_path() / "connectors"; }

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ENGINE();
    client_ = std::make_unique<es::Client>(fast_retry_options(engine_url()));
    dir_ = fs::temp_directory_path() / ("cli-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data");
    std::ofstream(dir_ / "data" / "a.txt") << "hello\n";
    // The default config file of the commands: config.yml in the working directory.
    std::ofstream(dir_ / "config.yml") << "elasticsearch:\n  host: " << engine_url() << "\n";
    index_ = test_index("cli");
  }

  void TearDown() override {
    if (!client_) return;
    for (const auto& id : jobs_) (void)client_->request("DELETE", "/.elastic-connectors-sync-jobs/_doc/" + id + "?refresh=true", {}, "application/json", {404});
    for (const auto& id : connectors_) (void)client_->request("DELETE", "/.elastic-connectors/_doc/" + id + "?refresh=true", {}, "application/json", {404});
    if (client_->index_exists(index_)) client_->delete_index(index_);
    fs::remove_all(dir_);
  }

  // Runs `connectors args...` in the test's directory with `input` on stdin.
  Result run(const std::vector<std::string>& args, const std::string& input = "") {
    fs::path in = dir_ / "stdin.txt", out = dir_ / "stdout.txt", err = dir_ / "stderr.txt";
    std::ofstream(in) << input;
    std::string binary = connectors_binary().string();
    pid_t pid = ::fork();
    if (pid == 0) {
      if (::chdir(dir_.c_str()) != 0) ::_exit(126);
      if (!std::freopen(in.c_str(), "r", stdin) || !std::freopen(out.c_str(), "w", stdout) ||
          !std::freopen(err.c_str(), "w", stderr)) {
        ::_exit(126);
      }
      std::vector<char*> argv;
      argv.push_back(binary.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    Result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file(out);
    r.err = read_file(err);
    return r;
  }

  // Creates a dir connector for index_ and returns its id.
  std::string create_connector() {
    Result r = run({"connector", "create", "--service-type", "dir", "--index-name", index_, "--name", "cli test",
                 "--set", "directory=" + (dir_ / "data").string(), "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    json doc = json::parse(r.out, nullptr, false);
    EXPECT_TRUE(doc.is_object()) << r.out;
    std::string id = doc.is_object() ? doc.value("id", "") : "";
    if (!id.empty()) connectors_.push_back(id);
    return id;
  }

  std::unique_ptr<es::Client> client_;
  fs::path dir_;
  std::string index_;
  std::vector<std::string> connectors_;
  std::vector<std::string> jobs_;
};

TEST_F(CliTest, BinaryIsThereAndSyncStillWired) {
  ASSERT_TRUE(fs::exists(connectors_binary())) << connectors_binary();
  Result help = run({"--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* command : {"login", "connector", "index", "job", "sync"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
  }
  EXPECT_EQ(run({"sync", "--help"}).code, 0);
  Result version = run({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_NE(version.out.find("connectors"), std::string::npos);
}

TEST_F(CliTest, ConnectorCreateThenListShowsItConfigured) {
  std::string id = create_connector();
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(client_->index_exists(index_));

  auto doc = client_->get_document(".elastic-connectors", id);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->source["status"], "configured");
  EXPECT_EQ(doc->source["service_type"], "dir");
  EXPECT_EQ(doc->source["index_name"], index_);
  EXPECT_EQ(doc->source["configuration"]["directory"]["value"], (dir_ / "data").string());

  Result list = run({"connector", "list", "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  json all = json::parse(list.out);
  bool found = false;
  for (const auto& c : all) {
    if (c["id"] != id) continue;
    found = true;
    EXPECT_EQ(c["status"], "configured");
    EXPECT_EQ(c["index_name"], index_);
    EXPECT_EQ(c["service_type"], "dir");
    EXPECT_EQ(c["name"], "cli test");
  }
  EXPECT_TRUE(found) << list.out;

  Result table = run({"connector", "list"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("ID  ", 0), 0u) << table.out;
  for (const char* header : {"NAME", "INDEX", "SERVICE TYPE", "STATUS", "LAST SYNC STATUS"}) {
    EXPECT_NE(table.out.find(header), std::string::npos) << header;
  }
  std::string row;
  std::istringstream lines(table.out);
  while (std::getline(lines, row) && row.rfind(id, 0) != 0) {
  }
  EXPECT_NE(row.find(index_), std::string::npos) << table.out;
  EXPECT_NE(row.find("configured"), std::string::npos) << table.out;

  // A second connector for the same index is refused, even with --from-index.
  Result again = run({"connector", "create", "--service-type", "dir", "--index-name", index_, "--from-index",
                      "--set", "directory=" + (dir_ / "data").string()});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find(id), std::string::npos) << again.err;
}

TEST_F(CliTest, ConnectorCreateWithScheduleAndServiceConfig) {
  std::ofstream(dir_ / "service.yml") << "service:\n  idling: 5\nconnectors:\n  - connector_id: other\n    service_type: dir\n";
  Result r = run({"connector", "create", "--service-type", "generator", "--index-name", index_, "--set", "documents=5",
               "--schedule", "0 0 * * * ?", "--update-config", "--connector-service-config", "service.yml",
               "--id", index_ + "-id", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  connectors_.push_back(index_ + "-id");
  EXPECT_EQ(json::parse(r.out)["id"], index_ + "-id");
  auto doc = client_->get_document(".elastic-connectors", index_ + "-id");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->source["scheduling"]["full"], json({{"enabled", true}, {"interval", "0 0 * * * ?"}}));
  EXPECT_EQ(doc->source["configuration"]["documents"]["value"], 5);
  std::string yaml = read_file(dir_ / "service.yml");
  EXPECT_NE(yaml.find("idling: 5"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("connector_id: other"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("connector_id: " + index_ + "-id"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("service_type: generator"), std::string::npos) << yaml;

  Result bad_cron = run({"connector", "create", "--service-type", "generator", "--index-name", index_ + "-x",
                      "--schedule", "every hour"});
  EXPECT_EQ(bad_cron.code, 2);
  EXPECT_NE(bad_cron.err.find("interval"), std::string::npos) << bad_cron.err;
}

TEST_F(CliTest, ConnectorCreateRefusedWhenIndexExists) {
  client_->create_index(index_);
  Result r = run({"connector", "create", "--service-type", "dir", "--index-name", index_, "--set",
               "directory=" + (dir_ / "data").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(index_), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  client_->refresh(".elastic-connectors");
  EXPECT_EQ(client_->count(".elastic-connectors", {{"term", {{"index_name", index_}}}}), 0);

  // --from-index attaches the connector to it.
  Result attach = run({"connector", "create", "--service-type", "dir", "--index-name", index_, "--from-index",
                    "--set", "directory=" + (dir_ / "data").string(), "--json"});
  ASSERT_EQ(attach.code, 0) << attach.err;
  json doc = json::parse(attach.out);
  connectors_.push_back(doc["id"]);
  EXPECT_EQ(doc["index_created"], false);

  Result missing = run({"connector", "create", "--service-type", "dir", "--index-name", index_ + "-none", "--from-index",
                        "--set", "directory=" + (dir_ / "data").string()});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find(index_ + "-none"), std::string::npos) << missing.err;
}

TEST_F(CliTest, BadConfigValueNamesTheField) {
  Result bad = run({"connector", "create", "--service-type", "dir", "--index-name", index_, "--set",
                 "max_file_size=big"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("max_file_size"), std::string::npos) << bad.err;
  EXPECT_FALSE(client_->index_exists(index_));

  Result unknown = run({"connector", "create", "--service-type", "dir", "--index-name", index_, "--set", "colour=red"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("colour"), std::string::npos) << unknown.err;

  std::ofstream(dir_ / "values.json") << R"({"directory": "", "pattern": "*.txt"})";
  Result empty = run({"connector", "create", "--service-type", "dir", "--index-name", index_, "--from-file", "values.json"});
  EXPECT_EQ(empty.code, 2);
  EXPECT_NE(empty.err.find("directory"), std::string::npos) << empty.err;

  Result type = run({"connector", "create", "--service-type", "nosuch", "--index-name", index_});
  EXPECT_EQ(type.code, 2);
  EXPECT_NE(type.err.find("nosuch"), std::string::npos) << type.err;
  EXPECT_FALSE(client_->index_exists(index_));
}

TEST_F(CliTest, JobStartListViewCancel) {
  std::string connector = create_connector();
  ASSERT_FALSE(connector.empty());

  Result start = run({"job", "start", "-i", connector, "-t", "full", "--json"});
  ASSERT_EQ(start.code, 0) << start.err;
  json started = json::parse(start.out);
  std::string job = started["id"];
  jobs_.push_back(job);
  EXPECT_EQ(started["status"], "pending");
  EXPECT_EQ(started["trigger_method"], "on_demand");

  Result text_start = run({"job", "start", "-i", connector, "-t", "access_control"});
  ASSERT_EQ(text_start.code, 0) << text_start.err;
  std::string second = text_start.out.substr(text_start.out.rfind(' ') + 1);
  second.erase(second.find_last_not_of("\n") + 1);
  jobs_.push_back(second);

  Result list = run({"job", "list", connector, "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  json jobs = json::parse(list.out);
  ASSERT_EQ(jobs.size(), 2u) << list.out;
  EXPECT_EQ(jobs[0]["id"], job);  // oldest first
  EXPECT_EQ(jobs[0]["status"], "pending");
  EXPECT_EQ(jobs[0]["job_type"], "full");
  EXPECT_EQ(jobs[1]["id"], second);
  EXPECT_EQ(jobs[1]["job_type"], "access_control");
  EXPECT_EQ(jobs[1]["connector"]["index_name"], ".search-acl-filter-" + index_);

  Result table = run({"job", "list", connector});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("JOB ID", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("VOLUME (MiB)"), std::string::npos);
  EXPECT_LT(table.out.find(job), table.out.find(second));
  EXPECT_NE(table.out.find("pending"), std::string::npos);

  Result view = run({"job", "view", job, "--json"});
  ASSERT_EQ(view.code, 0) << view.err;
  json viewed = json::parse(view.out);
  EXPECT_EQ(viewed["id"], job);
  EXPECT_EQ(viewed["status"], "pending");
  EXPECT_EQ(viewed["connector"]["id"], connector);
  EXPECT_EQ(viewed["indexed_document_count"], 0);
  EXPECT_TRUE(viewed.contains("created_at"));

  Result view_text = run({"job", "view", job});
  ASSERT_EQ(view_text.code, 0) << view_text.err;
  for (const char* label : {"Status:", "Type:", "Trigger:", "Created at:", "Indexed documents:", "Error:", "Worker:"}) {
    EXPECT_NE(view_text.out.find(label), std::string::npos) << label << "\n" << view_text.out;
  }

  // Without -y the answer is asked for; "no" leaves the job alone.
  Result refused = run({"job", "cancel", job}, "n\n");
  EXPECT_EQ(refused.code, 1);
  EXPECT_EQ(json::parse(run({"job", "view", job, "--json"}).out)["status"], "pending");

  Result cancel = run({"job", "cancel", job, "-y"});
  ASSERT_EQ(cancel.code, 0) << cancel.err;
  EXPECT_NE(cancel.out.find("Canceled"), std::string::npos) << cancel.out;
  json canceled = json::parse(run({"job", "view", job, "--json"}).out);
  EXPECT_EQ(canceled["status"], "canceled");
  EXPECT_TRUE(canceled["canceled_at"].is_string());

  Result twice = run({"job", "cancel", job, "-y"});
  EXPECT_EQ(twice.code, 0);
  EXPECT_NE(twice.out.find("already ended"), std::string::npos) << twice.out;

  Result listed = run({"job", "list", connector, "--json"});
  EXPECT_EQ(json::parse(listed.out)[0]["status"], "canceled");
}

TEST_F(CliTest, JobErrorsNameWhatIsMissing) {
  Result start = run({"job", "start", "-i", "no-such-connector", "-t", "full"});
  EXPECT_EQ(start.code, 1);
  EXPECT_NE(start.err.find("no-such-connector"), std::string::npos) << start.err;

  Result view = run({"job", "view", "no-such-job"});
  EXPECT_EQ(view.code, 1);
  EXPECT_NE(view.err.find("no-such-job"), std::string::npos) << view.err;

  Result cancel = run({"job", "cancel", "no-such-job", "-y"});
  EXPECT_EQ(cancel.code, 1);
  EXPECT_NE(cancel.err.find("no-such-job"), std::string::npos) << cancel.err;

  Result list = run({"job", "list", "no-such-connector"});
  EXPECT_EQ(list.code, 1);
  EXPECT_NE(list.err.find("no-such-connector"), std::string::npos) << list.err;

  EXPECT_EQ(run({"job", "start", "-i", "x"}).code, 2);               // no -t
  EXPECT_EQ(run({"job", "start", "-i", "x", "-t", "weekly"}).code, 2);  // bad -t
  EXPECT_EQ(run({"job"}).code, 2);
}

TEST_F(CliTest, IndexListCleanDelete) {
  client_->create_index(index_);
  es::BulkBuilder bulk;
  for (int i = 0; i < 25; ++i) bulk.add(es::BulkOp::kIndex, index_, "d" + std::to_string(i), R"({"n":1})");
  ASSERT_FALSE(client_->bulk(bulk.take(), {}, es::Refresh::kYes).errors);

  Result list = run({"index", "list", "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  bool found = false;
  for (const auto& entry : json::parse(list.out)) {
    EXPECT_NE(entry["index"].get<std::string>().rfind(".", 0), 0u) << "dot-index without --all";
    if (entry["index"] == index_) {
      found = true;
      EXPECT_EQ(entry["docs"], 25);
    }
  }
  EXPECT_TRUE(found) << list.out;
  Result table = run({"index", "list"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("INDEX", 0), 0u) << table.out;
  EXPECT_NE(table.out.find(index_), std::string::npos);
  EXPECT_NE(table.out.find("25"), std::string::npos);

  ASSERT_EQ(run({"connector", "list"}).code, 0);  // makes sure the system indices may exist
  Result all = run({"index", "list", "--all", "--json"});
  ASSERT_EQ(all.code, 0) << all.err;

  Result refused = run({"index", "clean", index_}, "no\n");
  EXPECT_EQ(refused.code, 1);
  EXPECT_EQ(client_->count(index_), 25);

  Result clean = run({"index", "clean", index_, "-y"});
  ASSERT_EQ(clean.code, 0) << clean.err;
  EXPECT_NE(clean.out.find("25"), std::string::npos) << clean.out;
  client_->refresh(index_);
  EXPECT_EQ(client_->count(index_), 0);
  EXPECT_TRUE(client_->index_exists(index_));

  Result confirmed = run({"index", "delete", index_}, "y\n");
  ASSERT_EQ(confirmed.code, 0) << confirmed.err;
  EXPECT_FALSE(client_->index_exists(index_));

  Result gone = run({"index", "delete", index_, "-y"});
  EXPECT_EQ(gone.code, 1);
  EXPECT_NE(gone.err.find(index_), std::string::npos) << gone.err;
  Result gone_clean = run({"index", "clean", index_, "-y"});
  EXPECT_EQ(gone_clean.code, 1);
}

TEST_F(CliTest, LoginWritesAPrivateFileAndNoSecret) {
  fs::remove(dir_ / "config.yml");
  std::string secret = "pw-" + std::to_string(::getpid()) + "-not-printed";
  Result login = run({"login", "--host", engine_url(), "--username", "elastic", "--password", secret});
  ASSERT_EQ(login.code, 0) << login.err;
  EXPECT_EQ(login.out.find(secret), std::string::npos) << login.out;
  EXPECT_EQ(login.err.find(secret), std::string::npos) << login.err;
  fs::path file = dir_ / ".cli" / "config.yml";
  ASSERT_TRUE(fs::exists(file));
  struct stat st{};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::string yaml = read_file(file);
  EXPECT_NE(yaml.find("host: " + engine_url()), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("username: elastic"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find(secret), std::string::npos);

  // The commands now read .cli/config.yml by default.
  EXPECT_EQ(run({"index", "list"}).code, 0);

  // Not overwritten without --force when the answer is no; overwritten with it.
  Result refused = run({"login", "--host", "http://127.0.0.1:1", "--method", "apikey", "--api-key", "abc123"}, "n\n");
  EXPECT_EQ(refused.code, 1);
  EXPECT_EQ(read_file(file), yaml);

  // Prompted values from stdin (not a terminal: read as lines); api key mode.
  Result prompted = run({"login", "--force", "--method", "apikey"}, engine_url() + "\nkey-" + secret + "\n");
  ASSERT_EQ(prompted.code, 0) << prompted.err;
  EXPECT_EQ(prompted.out.find("key-" + secret), std::string::npos);
  EXPECT_EQ(prompted.err.find("key-" + secret), std::string::npos);
  std::string api_yaml = read_file(file);
  EXPECT_NE(api_yaml.find("api_key: key-" + secret), std::string::npos) << api_yaml;
  EXPECT_EQ(api_yaml.find("password"), std::string::npos) << api_yaml;

  // A host that does not answer: exit 1, the file is left alone, no secret printed.
  Result dead = run({"login", "--force", "--host", "http://127.0.0.1:1", "--username", "u", "--password", secret});
  EXPECT_EQ(dead.code, 1);
  EXPECT_NE(dead.err.find("127.0.0.1:1"), std::string::npos) << dead.err;
  EXPECT_EQ(dead.err.find(secret), std::string::npos) << dead.err;
  EXPECT_EQ(read_file(file), api_yaml);
}

TEST_F(CliTest, MissingConfigIsAUsageError) {
  fs::remove(dir_ / "config.yml");
  Result r = run({"connector", "list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("connectors login"), std::string::npos) << r.err;
  Result explicit_missing = run({"-c", "nowhere.yml", "connector", "list"});
  EXPECT_EQ(explicit_missing.code, 2);
  EXPECT_NE(explicit_missing.err.find("nowhere.yml"), std::string::npos) << explicit_missing.err;
  // -c after the subcommand works too.
  std::ofstream(dir_ / "other.yml") << "elasticsearch:\n  host: " << engine_url() << "\n";
  EXPECT_EQ(run({"index", "list", "-c", "other.yml"}).code, 0);
}

}  // namespace
}  // namespace connectors::cli
