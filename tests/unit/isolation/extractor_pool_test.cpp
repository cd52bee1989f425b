#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "extraction/isolation/frames.h"
#include "extraction/isolation/pool.h"

namespace connectors::extraction::isolation {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ExtractorPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pool-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path file(const std::string& name, const std::string& content) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  static PoolOptions test_worker(int workers = 1) {
    PoolOptions options;
    options.program = TEST_EXTRACTOR;
    options.workers = workers;
    options.timeout = 2s;
    return options;
  }

  fs::path dir_;
};

TEST(Frames, ARequestAndAReplyGoThroughWhole) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string path("/tmp/a\nb\0c.txt", 14);
  ASSERT_TRUE(write_all(fds[1], encode_request({".TXT", path})));
  auto request = read_request(fds[0]);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->extension, ".TXT");
  EXPECT_EQ(request->path, path);
  ::close(fds[1]);
  EXPECT_FALSE(read_request(fds[0]));  // a clean end
  ::close(fds[0]);
  std::string reply = encode_reply({false, "bad"});
  char header[9];
  std::copy_n(reply.data(), 9, header);
  EXPECT_EQ(decode_reply_header(header), std::make_pair(false, uint64_t{3}));
}

TEST_F(ExtractorPoolTest, TheRealExtractorGivesTheTextWithWhitespaceReduced) {
  ExtractorPool pool(PoolOptions{});  // connectors-extractor next to this test program
  auto got = pool.extract(file("a.txt", "hello \n\n  world\n"), ".TXT");
  ASSERT_TRUE(got.ok) << got.reason;
  EXPECT_EQ(got.text, "hello world");
  auto unsupported = pool.extract(file("a.exe", "MZ"), ".exe");
  EXPECT_FALSE(unsupported.ok);
  EXPECT_EQ(unsupported.reason, "unsupported file type '.exe'");
}

TEST_F(ExtractorPoolTest, AParserErrorIsTheReasonAndTheWorkerStays) {
  ExtractorPool pool(test_worker());
  auto failed = pool.extract(file("bad.txt", "FAIL:encrypted PDF\n"), ".txt");
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.reason, "encrypted PDF");
  EXPECT_TRUE(pool.extract(file("good.txt", "fine"), ".txt").ok);
  EXPECT_EQ(pool.workers_started(), 1);
}

TEST_F(ExtractorPoolTest, ACrashFailsTheFileAndANewWorkerTakesTheNext) {
  ExtractorPool pool(test_worker());
  auto crashed = pool.extract(file("crash.txt", "CRASH"), ".txt");
  EXPECT_FALSE(crashed.ok);
  EXPECT_EQ(crashed.reason, "extractor crashed (signal 6)");
  auto segv = pool.extract(file("segv.txt", "SEGV"), ".txt");
  EXPECT_FALSE(segv.ok);
  // signal 11; under AddressSanitizer its report and exit status 1.
  EXPECT_TRUE(segv.reason == "extractor crashed (signal 11)" ||
              segv.reason == "extractor crashed (exit status 1)")
      << segv.reason;
  auto good = pool.extract(file("good.txt", "after the crash"), ".txt");
  ASSERT_TRUE(good.ok) << good.reason;
  EXPECT_EQ(good.text, "after the crash");
  EXPECT_EQ(pool.workers_started(), 3);
}

TEST_F(ExtractorPoolTest, AHangIsKilledAtTheTimeout) {
  PoolOptions options = test_worker();
  options.timeout = 500ms;
  ExtractorPool pool(options);
  auto start = std::chrono::steady_clock::now();
  auto hung = pool.extract(file("hang.txt", "HANG"), ".txt");
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(hung.ok);
  EXPECT_EQ(hung.reason, "extraction timed out after 0.5 s");
  EXPECT_LT(took, 3s);
  EXPECT_TRUE(pool.extract(file("good.txt", "next"), ".txt").ok);
  EXPECT_EQ(pool.workers_started(), 2);
}

TEST_F(ExtractorPoolTest, AStopEndsTheExtractionAtOnce) {
  PoolOptions options = test_worker();
  options.timeout = 60s;
  ExtractorPool pool(options);
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(200ms);
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  auto got = pool.extract(file("hang.txt", "HANG"), ".txt", stop.get_token());
  stopper.join();
  EXPECT_FALSE(got.ok);
  EXPECT_EQ(got.reason, "canceled");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(ExtractorPoolTest, AMemoryBlowUpFailsTheFileAlone) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "RLIMIT_AS cannot apply under AddressSanitizer (run in the release build)";
#endif
  PoolOptions options = test_worker();
  options.memory_limit_bytes = 256LL << 20;
  ExtractorPool pool(options);
  auto got = pool.extract(file("oom.txt", "OOM"), ".txt");
  EXPECT_FALSE(got.ok);
  EXPECT_EQ(got.reason, "out of memory (over the extractor's memory limit)");
  EXPECT_TRUE(pool.extract(file("good.txt", "next"), ".txt").ok);
}

TEST_F(ExtractorPoolTest, CallersBeyondTheWorkersWaitForOne) {
  ExtractorPool pool(test_worker(2));
  std::vector<fs::path> files;
  for (int i = 0; i < 6; ++i)
    files.push_back(file(std::to_string(i) + ".md", "doc " + std::to_string(i)));
  std::atomic<int> right{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        auto got = pool.extract(files[static_cast<size_t>(t)], ".md");
        if (got.ok && got.text == "doc " + std::to_string(t)) right++;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(right, 30);
  EXPECT_EQ(pool.workers_started(), 2);
}

TEST_F(ExtractorPoolTest, AProgramThatCannotStartIsTheReason) {
  PoolOptions options;
  options.program = (dir_ / "no-such-extractor").string();
  ExtractorPool pool(options);
  auto got = pool.extract(file("a.txt", "x"), ".txt");
  EXPECT_FALSE(got.ok);
  EXPECT_EQ(got.reason,
            "cannot start the extractor " + options.program + ": No such file or directory");
}

TEST(DefaultExtractorProgram, TheEnvironmentWinsElseNextToThisProgram) {
  ::setenv("CONNECTORS_EXTRACTOR", "/opt/x/extractor", 1);
  EXPECT_EQ(default_extractor_program(), "/opt/x/extractor");
  ::unsetenv("CONNECTORS_EXTRACTOR");
  auto self = fs::read_symlink("/proc/self/exe");
  EXPECT_EQ(default_extractor_program(), (self.parent_path() / "connectors-extractor").string());
}

}  // namespace
}  // namespace connectors::extraction::isolation
