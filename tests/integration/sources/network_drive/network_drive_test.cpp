// The network_drive source against a real Samba smbd (NTLM log-on, SMB2/3),
// started for the suite by tests/servers/samba.sh on a loopback port: a Samba
// that cannot start fails the tests, never skips them. The test fills the
// share directly on disk (the tests run as root). The sync test also needs a
// search engine (ES_URL).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "core/errors.h"
#include "sources/network_drive/network_drive_source.h"
#include "sources/registry.h"
#include "sql_server_support.h"
#include "sync_support.h"

namespace connectors::sources::smb {
namespace {

namespace fs = std::filesystem;
using testing::CollectSink;
using testing::SqlServer;

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string inode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return std::to_string(st.st_ino);
}

struct KeepContent final : ContentSink {
  bool write(std::string_view bytes) override {
    text.append(bytes);
    return true;
  }
  std::string text;
};

class NetworkDriveTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      server_ = new SqlServer("samba");
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "Samba did not start: " << start_error_; }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  // A folder of the share of its own for each test ("Folder1/<name>").
  static NetworkDriveSettings settings(const std::string& folder,
                                       const std::string& password = "") {
    NetworkDriveSettings s;
    s.smb.username = (*server_)["user"];
    s.smb.password = Secret(password.empty() ? (*server_)["password"] : password);
    s.smb.server_ip = "127.0.0.1";
    s.smb.port = std::stoi((*server_)["port"]);
    s.smb.timeout_ms = 5000;
    s.drive_path = "Folder1/" + folder;
    return s;
  }
  static fs::path disk(const std::string& folder) {
    return fs::path((*server_)["share_dir"]) / folder;
  }

  static SqlServer* server_;
  static std::string start_error_;
};

SqlServer* NetworkDriveTest::server_ = nullptr;
std::string NetworkDriveTest::start_error_;

TEST_F(NetworkDriveTest, WalksNestedFoldersIntoTheFrameworksDocumentsAndReadsContent) {
  fs::path root = disk("walk");
  write_file(root / "top.txt", "top file");
  write_file(root / "a" / "b" / "deep.txt", "deep");
  std::string big(200000, 'x');  // several 64 KiB reads
  big[150000] = 'y';
  write_file(root / "a" / "big.bin", big);
  fs::create_directories(root / "empty");

  CollectSink sink;
  make_network_drive_source(settings("walk"))->documents(sink, {});
  std::map<std::string, const Document*> by_path;
  for (const auto& d : sink.docs) by_path[d.fields["path"].get<std::string>()] = &d;
  const std::string base = "\\\\127.0.0.1/Folder1/walk";
  std::set<std::string> paths;
  for (const auto& [p, _] : by_path) paths.insert(p);
  ASSERT_EQ(paths, (std::set<std::string>{base + "\\top.txt", base + "\\a", base + "\\a\\b",
                                          base + "\\a\\b\\deep.txt", base + "\\a\\big.bin",
                                          base + "\\empty"}));
  const Document& top = *by_path[base + "\\top.txt"];
  EXPECT_EQ(top.id, inode_of(root / "top.txt"));  // Samba's FileId is the inode
  EXPECT_EQ(top.fields["title"], "top.txt");
  EXPECT_EQ(top.fields["type"], "file");
  EXPECT_EQ(top.fields["size"], 8);
  EXPECT_TRUE(top.timestamp.ends_with("+00:00")) << top.timestamp;
  EXPECT_TRUE(top.fields["created_at"].get<std::string>().ends_with("+00:00"));
  EXPECT_EQ(top.content.extension, ".txt");
  const Document& folder = *by_path[base + "\\a\\b"];
  EXPECT_EQ(folder.fields["type"], "folder");
  EXPECT_EQ(folder.id, inode_of(root / "a" / "b"));
  EXPECT_FALSE(folder.content) << "folders have no content";

  KeepContent content;
  top.content.fetch(content, 1000, {});
  EXPECT_EQ(content.text, "top file");
  KeepContent large;
  by_path[base + "\\a\\big.bin"]->content.fetch(large, 10485760, {});
  EXPECT_EQ(large.text, big);
}

TEST_F(NetworkDriveTest, TheDescriptorBuildsASourceThatPings) {
  fs::create_directories(disk("ping"));
  json config = {{"username", (*server_)["user"]},
                 {"password", (*server_)["password"]},
                 {"server_ip", "127.0.0.1"},
                 {"server_port", std::stoi((*server_)["port"])},
                 {"drive_path", "Folder1/ping"}};
  make_source("network_drive", config)->ping({});
}

TEST_F(NetworkDriveTest, AWrongPasswordNamesTheUserAndServerNeverThePassword) {
  fs::create_directories(disk("auth"));
  const std::string wrong = "not-the-Password-42";
  auto source = make_network_drive_source(settings("auth", wrong));
  try {
    source->ping({});
    FAIL() << "a wrong password was accepted";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("user '" + (*server_)["user"] + "'"), std::string::npos) << message;
    EXPECT_NE(message.find("127.0.0.1:" + (*server_)["port"]), std::string::npos) << message;
    EXPECT_EQ(message.find(wrong), std::string::npos) << message;
    EXPECT_EQ(message.find((*server_)["password"]), std::string::npos) << message;
  }
  CollectSink sink;
  EXPECT_THROW(source->documents(sink, {}), SourceError);
}

TEST_F(NetworkDriveTest, AnUnreachablePortNamesHostAndPort) {
  NetworkDriveSettings s = settings("none");
  s.smb.port = 1;
  try {
    make_network_drive_source(s)->ping({});
    FAIL() << "no error";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos) << e.what();
  }
}

TEST_F(NetworkDriveTest, AFolderMadeUnreadableMidWalkFailsTheEnumeration) {
  fs::path root = disk("locked");
  write_file(root / "first.txt", "1");
  write_file(root / "inner" / "second.txt", "2");
  CollectSink sink;
  sink.on_emit = [&](const Document&) {
    if (sink.docs.empty()) fs::permissions(root / "inner", fs::perms::none);
  };
  try {
    make_network_drive_source(settings("locked"))->documents(sink, {});
    fs::permissions(root / "inner", fs::perms::owner_all);
    FAIL() << "a partial walk ended as complete";
  } catch (const SourceError& e) {
    fs::permissions(root / "inner", fs::perms::owner_all);
    EXPECT_NE(std::string(e.what()).find("'Folder1/locked/inner'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Permission denied"), std::string::npos) << e.what();
  }
}

TEST_F(NetworkDriveTest, RulesWalkFromTheirBaseAndEmitEachPlaceOnce) {
  fs::path root = disk("rules");
  write_file(root / "a.txt", "a");
  write_file(root / "b.pdf", "b");
  write_file(root / "sub" / "c.txt", "c");
  write_file(root / "sub" / "d.md", "d");
  auto source = make_network_drive_source(settings("rules"));
  source->advanced_rules()->set_advanced_rules(json::parse(R"([
      {"pattern": "Folder1/rules/**/*.txt"},
      {"pattern": "Folder1/rules/sub/*"},
      {"pattern": "Folder1/nothing-here/*"}])"));
  CollectSink sink;
  source->documents(sink, {});
  std::multiset<std::string> titles;
  for (const auto& d : sink.docs) titles.insert(d.fields["title"].get<std::string>());
  EXPECT_EQ(titles, (std::multiset<std::string>{"a.txt", "c.txt", "d.md"}));
  EXPECT_TRUE(sink.warned("nothing-here")) << "no warning for the rule without a folder";
}

// Through the sync engine: an unchanged resync downloads nothing; a walk that
// fails part-way fails the job and deletes nothing.
class NetworkDriveSyncTest : public testing::SyncFixture {};

TEST_F(NetworkDriveSyncTest, AnUnchangedResyncReadsNothingAndAFailedWalkDeletesNothing) {
  SqlServer server("samba");
  fs::path root = fs::path(server["share_dir"]);
  for (int i = 0; i < 5; ++i) write_file(root / ("doc" + std::to_string(i) + ".txt"), "text");
  for (int i = 0; i < 5; ++i) write_file(root / "z" / ("more" + std::to_string(i) + ".txt"), "x");
  NetworkDriveSettings s;
  s.smb.username = server["user"];
  s.smb.password = Secret(server["password"]);
  s.smb.server_ip = "127.0.0.1";
  s.smb.port = std::stoi(server["port"]);
  s.drive_path = "Folder1";
  auto first = sync(*make_network_drive_source(s), options());
  ASSERT_EQ(first.status, sync::SyncStatus::kCompleted) << first.error;
  EXPECT_EQ(count(), 11);  // 10 files and the folder z
  EXPECT_EQ(first.content_fetches, 10);

  auto again = sync(*make_network_drive_source(s), options());
  ASSERT_EQ(again.status, sync::SyncStatus::kCompleted) << again.error;
  EXPECT_EQ(again.content_fetches, 0);  // unchanged files are never read
  EXPECT_EQ(again.content_bytes_read, 0);

  fs::permissions(root / "z", fs::perms::none);
  auto failed = sync(*make_network_drive_source(s), options());
  fs::permissions(root / "z", fs::perms::owner_all);
  EXPECT_EQ(failed.status, sync::SyncStatus::kFailed);
  EXPECT_NE(failed.error.find("Folder1/z"), std::string::npos) << failed.error;
  EXPECT_EQ(failed.deleted_document_count, 0);
  EXPECT_EQ(count(), 11);
}

}  // namespace
}  // namespace connectors::sources::smb
