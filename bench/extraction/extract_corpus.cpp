// Extracts every file of a corpus with our in-process extractor and reports,
// per file, the time taken (the best of --repeat runs, so the figure is the
// parser's, not the page cache's), as JSON lines; the texts go to --out for the
// comparison with Apache Tika (bench/extraction/run.sh).
//
//   extract_corpus --out DIR [--repeat N] CORPUS_DIR
// writes DIR/<path in the corpus>.txt, as Tika's batch mode names its output.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "extraction/extract.h"
#include "extraction/plain_text.h"

namespace fs = std::filesystem;
using connectors::extraction::extract_file;
using connectors::extraction::file_extension;
using connectors::extraction::format_of;
using connectors::extraction::is_supported_extension;

namespace {

std::vector<fs::path> corpus_files(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && is_supported_extension(file_extension(entry.path().string())))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Extracts a corpus with the in-process extractor; JSON lines per file on stdout."};
  std::string out;
  int repeat = 3;
  std::string root;
  app.add_option("--out", out, "Directory for the extracted texts (<file name>.txt)")->required();
  app.add_option("--repeat", repeat, "Runs per file; the fastest is reported")
      ->check(CLI::PositiveNumber);
  app.add_option("corpus", root, "The corpus directory")->required()->check(CLI::ExistingDirectory);
  CLI11_PARSE(app, argc, argv);

  for (const auto& file : corpus_files(root)) {
    const std::string extension = file_extension(file.string());
    nlohmann::json line = {{"file", fs::relative(file, root).string()},
                           {"type", extension.substr(1)},
                           {"family", std::string(format_of(extension))},
                           {"bytes", fs::file_size(file)}};
    double best = 1e9;
    std::string text;
    for (int i = 0; i < repeat; ++i) {
      const auto start = std::chrono::steady_clock::now();
      try {
        text = extract_file(file, extension);
      } catch (const std::exception& e) {
        line["error"] = e.what();
        text.clear();
      }
      best = std::min(
          best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    line["seconds"] = best;
    line["chars"] = text.size();
    const fs::path text_path = fs::path(out) / (fs::relative(file, root).string() + ".txt");
    fs::create_directories(text_path.parent_path());
    std::ofstream(text_path, std::ios::binary) << text;
    std::cout << line.dump() << "\n";
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << nlohmann::json{{"peak_rss_kib", usage.ru_maxrss}}.dump() << "\n";
  return 0;
}
