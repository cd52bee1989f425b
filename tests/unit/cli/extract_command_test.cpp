// `connectors extract`, run as the built binary (next to this test program) in
// a folder without config.yml: the framework's defaults.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace connectors::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CliRun {
  int code = -1;
  std::string out;
};

class ExtractCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("extract-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "notes.MD", std::ios::binary) << "# Notes\n\n  some   text\n";
    std::ofstream(dir_ / "tool.exe", std::ios::binary) << "MZ";
    std::ofstream(dir_ / "README", std::ios::binary) << "no extension";
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliRun connectors(const std::string& arguments) {
    fs::path binary = fs::read_symlink("/proc/self/exe").parent_path() / "connectors";
    std::string command =
        "cd '" + dir_.string() + "' && '" + binary.string() + "' " + arguments + " 2>&1";
    CliRun run;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return run;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
    int status = ::pclose(pipe);
    run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
  }

  fs::path dir_;
};

TEST_F(ExtractCommandTest, PrintsTheTypeTheTextAndTheTime) {
  CliRun run = connectors("extract notes.MD");
  EXPECT_EQ(run.code, 0) << run.out;
  EXPECT_NE(run.out.find("== notes.MD\ntype: .md (text)\nmode: local, time: "), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find(" ms\ntext (17 bytes):\n# Notes some text\n"), std::string::npos)
      << run.out;
}

TEST_F(ExtractCommandTest, JsonLinesGiveTheReasonWhenThereIsNoText) {
  CliRun run = connectors("extract --json notes.MD tool.exe README");
  EXPECT_EQ(run.code, 1) << run.out;  // a file without text
  std::istringstream lines(run.out);
  std::vector<json> reports;
  for (std::string line; std::getline(lines, line);) reports.push_back(json::parse(line));
  ASSERT_EQ(reports.size(), 3u) << run.out;
  EXPECT_EQ(reports[0]["text"], "# Notes some text");
  EXPECT_EQ(reports[0]["type"], "text");
  EXPECT_GE(reports[0]["seconds"].get<double>(), 0.0);
  EXPECT_EQ(reports[1]["reason"], "Files with the extension .exe are not supported");
  EXPECT_EQ(reports[1]["type"], "");
  EXPECT_EQ(reports[2]["reason"], "Files without extension are not supported");
}

TEST_F(ExtractCommandTest, AttachmentModePrintsTheDocumentAsSent) {
  CliRun run = connectors("extract --json --mode attachment notes.MD");
  ASSERT_EQ(run.code, 0) << run.out;
  json report = json::parse(run.out);
  EXPECT_EQ(report["mode"], "attachment");
  EXPECT_EQ(report["document"]["title"], "notes.MD");
  EXPECT_EQ(report["document"]["_attachment"], "IyBOb3RlcwoKICBzb21lICAgdGV4dAo=");
  EXPECT_FALSE(report.contains("text"));
}

TEST_F(ExtractCommandTest, ServiceModeNeedsAHost) {
  CliRun run = connectors("extract --mode service notes.MD");
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.out.find("--mode: service needs extraction_service.host"), std::string::npos)
      << run.out;
}

TEST_F(ExtractCommandTest, HelpNamesTheModes) {
  CliRun run = connectors("extract --help");
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("local: our extractor workers"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace connectors::cli
