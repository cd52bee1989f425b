// A worker for the isolation tests: the real extractor, except for files whose
// content starts with a marker, which play a hostile file's part —
//   CRASH          the parser aborts (a crash: SIGABRT)
//   SEGV           the parser dereferences a bad pointer
//   HANG           the parser never returns
//   OOM            the parser allocates without end (until RLIMIT_AS says no)
//   FAIL:<reason>  the parser throws ExtractionError(<reason>)
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "extraction/extract.h"
#include "extraction/isolation/worker.h"

namespace {

std::string hostile(const std::filesystem::path& path, std::string_view extension) {
  std::ifstream in(path, std::ios::binary);
  std::string head(64, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (head.starts_with("CRASH")) std::abort();
  if (head.starts_with("SEGV")) std::raise(SIGSEGV);
  if (head.starts_with("HANG")) {
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  if (head.starts_with("OOM")) {
    std::vector<std::string> held;
    while (true) held.emplace_back(64 << 20, 'x');
  }
  if (head.starts_with("FAIL:")) {
    throw connectors::extraction::ExtractionError(head.substr(5, head.find('\n') - 5));
  }
  return connectors::extraction::extract_file(path, extension);
}

}  // namespace

int main(int argc, char** argv) {
  return connectors::extraction::isolation::worker_main(argc, argv, hostile);
}
