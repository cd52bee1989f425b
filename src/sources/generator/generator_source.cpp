#include "sources/generator/generator_source.h"

#include <fmt/format.h>

#include <thread>

#include "core/errors.h"
#include "core/hash.h"
#include "core/iso_time.h"

namespace connectors::sources {
namespace {

constexpr std::string_view kWords =
    "search index shard replica mapping analyzer token query filter bucket cluster node "
    "document field vector score boost phrase match term range facet cursor pipeline ";

// A number in [0, 1) from the document index and a salt: which documents change or go.
double fraction_of(long long i, uint64_t salt) {
  return static_cast<double>(hash64(std::to_string(i), salt) >> 11) / 9007199254740992.0;
}

class GeneratorSource final : public Source {
 public:
  explicit GeneratorSource(GeneratorSettings settings) : settings_(settings) {}

  void ping(std::stop_token) override {}

  void documents(DocumentSink& sink, std::stop_token stop) override {
    for (long long i = 0; i < settings_.documents; ++i) {
      if (stop.stop_requested()) throw Cancelled();
      if (settings_.fail_after >= 0 && i >= settings_.fail_after) {
        throw SourceError(fmt::format("generator: simulated failure after {} documents", i));
      }
      if (settings_.delay_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(settings_.delay_us));
      if (auto doc = generate_document(settings_, i)) sink.emit(std::move(*doc));
    }
  }

 private:
  GeneratorSettings settings_;
};

Schema generator_schema() {
  auto numeric = [](std::string key, std::string label, json value, int order) {
    Field f = make_field(std::move(key), std::move(label));
    f.type = value.is_number_float() ? FieldType::kFloat : FieldType::kInt;
    f.display = Display::kNumeric;
    f.value = value;
    f.default_value = value;
    f.required = false;
    f.order = order;
    return f;
  };
  return {
      numeric("documents", "Number of documents", 1000, 1),
      numeric("document_size", "Approximate document size in bytes", 1024, 2),
      numeric("changed_fraction", "Fraction of documents changed in a later generation", 0.0, 3),
      numeric("deleted_fraction", "Fraction of documents deleted in a later generation", 0.0, 4),
      numeric("generation", "Generation (0 = the original documents)", 0, 5),
      numeric("fail_after", "Fail after this many documents (-1 = never)", -1, 6),
      numeric("delay_us", "Microseconds to wait before each document", 0, 7),
  };
}

}  // namespace

std::optional<Document> generate_document(const GeneratorSettings& s, long long i) {
  if (s.generation > 0 && fraction_of(i, 1) < s.deleted_fraction) return std::nullopt;
  long long version = (s.generation > 0 && fraction_of(i, 2 + static_cast<uint64_t>(s.generation)) <
                                               s.changed_fraction)
                          ? s.generation
                          : 0;
  Document doc;
  doc.id = fmt::format("doc-{:09}", i);
  // A fixed epoch plus one day per version: stable across runs, changed when the version moves.
  doc.timestamp = iso_utc(1704067200LL + version * 86400, 0);
  std::string body;
  size_t target = s.document_size > 160 ? static_cast<size_t>(s.document_size - 160) : 16;
  size_t offset = static_cast<size_t>(hash64(doc.id) % kWords.size());
  body.reserve(target);
  while (body.size() < target) {
    size_t take = std::min(kWords.size() - offset, target - body.size());
    body.append(kWords.substr(offset, take));
    offset = 0;
  }
  doc.fields = {{"title", fmt::format("Generated document {}", i)},
                {"number", i},
                {"version", version},
                {"body", std::move(body)}};
  return doc;
}

SourceDescriptor generator_descriptor() {
  return {"generator", "Generator (tests and benchmarks)", generator_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            GeneratorSettings s;
            s.documents = c.integer("documents");
            s.document_size = c.integer("document_size");
            s.changed_fraction = c.number("changed_fraction");
            s.deleted_fraction = c.number("deleted_fraction");
            s.generation = c.integer("generation");
            s.fail_after = c.integer("fail_after");
            s.delay_us = c.integer("delay_us");
            if (s.documents < 0) throw ConfigError("documents", "must not be negative");
            return std::make_unique<GeneratorSource>(s);
          }};
}

}  // namespace connectors::sources
