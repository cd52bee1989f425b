// Writes the generator source's documents as _bulk NDJSON files, serialised
// exactly as the sync engine sends them (same document builder, same
// serialisation, same bulk lines), so that posting them with curl measures
// what the engine alone can take: the "limit" our sync is compared against.
//
//   make_ndjson --documents N --document-size S --chunk-size C --index NAME --out DIR
//
// writes DIR/batch-00000.ndjson, DIR/batch-00001.ndjson, ... of C operations each.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "es/bulk.h"
#include "sources/generator/generator_source.h"
#include "sync/full_sync.h"

namespace {

using connectors::es::BulkBuilder;
using connectors::es::BulkOp;

void write_file(const std::filesystem::path& path, const std::string& body) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
  bool ok = std::fwrite(body.data(), 1, body.size(), f) == body.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
}

}  // namespace

int main(int argc, char** argv) {
  connectors::sources::GeneratorSettings settings;
  long long chunk_size = 500;
  std::string index;
  std::string out_dir;

  CLI::App app{"Writes the generator's documents as _bulk NDJSON files, as the sync engine sends them"};
  app.add_option("--documents", settings.documents, "Number of documents")->required()->check(CLI::NonNegativeNumber);
  app.add_option("--document-size", settings.document_size, "Approximate document size in bytes")
      ->capture_default_str();
  app.add_option("--chunk-size", chunk_size, "Operations per file (one _bulk request each)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--index", index, "The index named in each action line")->required();
  app.add_option("--out", out_dir, "Output directory (created if missing)")->required();
  app.add_option("--generation", settings.generation, "Generator generation")->capture_default_str();
  app.add_option("--changed-fraction", settings.changed_fraction, "Fraction changed in a later generation")
      ->capture_default_str();
  app.add_option("--deleted-fraction", settings.deleted_fraction, "Fraction deleted in a later generation")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    std::filesystem::create_directories(out_dir);
    const connectors::sync::SyncOptions options;  // defaults: what `connectors sync` sends
    BulkBuilder builder;
    long long files = 0;
    long long documents = 0;
    unsigned long long bytes = 0;
    auto flush = [&] {
      if (builder.empty()) return;
      std::string body = builder.take();
      bytes += body.size();
      write_file(std::filesystem::path(out_dir) / fmt::format("batch-{:05}.ndjson", files++), body);
    };
    for (long long i = 0; i < settings.documents; ++i) {
      auto doc = connectors::sources::generate_document(settings, i);
      if (!doc) continue;  // deleted in this generation
      std::string line = connectors::sync::serialize_document(*doc, options);
      builder.add(BulkOp::kIndex, index, doc->id, line);
      ++documents;
      if (static_cast<long long>(builder.operations()) >= chunk_size) flush();
    }
    flush();
    std::cerr << fmt::format("make_ndjson: {} documents in {} files ({:.1f} MiB) in {}\n", documents, files,
                             static_cast<double>(bytes) / 1048576.0, out_dir);
  } catch (const std::exception& e) {
    std::cerr << "make_ndjson: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
