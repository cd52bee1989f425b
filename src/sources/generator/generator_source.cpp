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

// The query every identity document carries: the framework's DLS template —
// a document matches when it has no `_allow_access_control` or shares an
// entry with the user's list.
constexpr const char* kDlsQuery =
    R"({"bool": {"should": [{"bool": {"must_not": {"exists": {"field": "_allow_access_control"}}}}, )"
    R"({"terms": {"_allow_access_control.enum": {{#toJson}}access_control{{/toJson}}}}]}})";

// A fixed instant (2024-01-01): generated documents are the same in every run.
constexpr long long kEpoch = 1704067200LL;

std::string document_id(long long i) { return fmt::format("doc-{:09}", i); }

// The version of document `i` under `s`, or nullopt when that generation deleted it.
std::optional<long long> version_of(const GeneratorSettings& s, long long i) {
  if (s.generation > 0 && fraction_of(i, 1) < s.deleted_fraction) return std::nullopt;
  bool changed = s.generation > 0 &&
                 fraction_of(i, 2 + static_cast<uint64_t>(s.generation)) < s.changed_fraction;
  return changed ? s.generation : 0;
}

// The cursor is what decides which documents exist and at which version.
json cursor_of(const GeneratorSettings& s) {
  return {{"documents", s.documents},
          {"generation", s.generation},
          {"changed_fraction", s.changed_fraction},
          {"deleted_fraction", s.deleted_fraction}};
}

GeneratorSettings settings_from_cursor(const json& cursor, GeneratorSettings s) {
  if (cursor.is_null()) {
    throw SourceError("generator: no sync cursor yet; run a full sync before an incremental one");
  }
  try {
    s.documents = cursor.at("documents").get<long long>();
    s.generation = cursor.at("generation").get<long long>();
    s.changed_fraction = cursor.at("changed_fraction").get<double>();
    s.deleted_fraction = cursor.at("deleted_fraction").get<double>();
  } catch (const json::exception&) {
    throw SourceError("generator: the connector's sync_cursor is not one this source wrote (" +
                      cursor.dump() + "); run a full sync");
  }
  return s;
}

class GeneratorSource final : public Source, public IncrementalSync, public AccessControl {
 public:
  explicit GeneratorSource(GeneratorSettings settings) : settings_(settings) {}

  void ping(std::stop_token) override {}

  void documents(DocumentSink& sink, std::stop_token stop) override {
    for (long long i = 0; i < settings_.documents; ++i) {
      pace(i, stop);
      if (auto doc = generate_document(settings_, i)) sink.emit(decorated(std::move(*doc), i));
    }
    cursor_ = cursor_of(settings_);
  }

  IncrementalSync* incremental() override { return this; }
  AccessControl* access_control() override { return this; }

  // Every document whose presence or version differs between the cursor's
  // settings and these: the index then holds what a full sync would leave.
  void changes(const json& cursor, ChangeSink& sink, std::stop_token stop) override {
    GeneratorSettings before = settings_from_cursor(cursor, settings_);
    for (long long i = 0; i < std::max(before.documents, settings_.documents); ++i) {
      pace(i, stop);
      auto was = i < before.documents ? version_of(before, i) : std::nullopt;
      auto now = i < settings_.documents ? version_of(settings_, i) : std::nullopt;
      if (now && now != was) {
        sink.documents().emit(decorated(*generate_document(settings_, i), i));
      } else if (!now && was) {
        sink.remove(document_id(i));
      }
    }
    cursor_ = cursor_of(settings_);
  }

  json sync_cursor() const override { return cursor_; }

  void enable_document_level_security(bool enabled) override { dls_feature_ = enabled; }

  void access_control_documents(DocumentSink& sink, std::stop_token stop) override {
    if (!dls_enabled()) return;  // as the framework's sources: no identities without DLS
    for (long long k = 0; k < settings_.identities; ++k) {
      if (stop.stop_requested()) throw Cancelled();
      sink.emit(generate_identity(k));
    }
  }

 private:
  // The framework's _dls_enabled(): the connector's feature and the source's toggle.
  bool dls_enabled() const { return dls_feature_ && settings_.use_document_level_security; }

  Document decorated(Document doc, long long i) const {
    if (dls_enabled()) {
      doc.fields["_allow_access_control"] =
          settings_.identities > 0
              ? json::array({fmt::format("user:user-{}", i % settings_.identities)})
              : json::array();
    }
    return doc;
  }

  void pace(long long i, std::stop_token stop) const {
    if (stop.stop_requested()) throw Cancelled();
    if (settings_.fail_after >= 0 && i >= settings_.fail_after) {
      throw SourceError(fmt::format("generator: simulated failure after {} documents", i));
    }
    if (settings_.delay_us > 0)
      std::this_thread::sleep_for(std::chrono::microseconds(settings_.delay_us));
  }

  GeneratorSettings settings_;
  json cursor_;  // null until a sync completes
  bool dls_feature_ = false;
};

Field dls_toggle() {
  Field f = make_field("use_document_level_security", "Enable document level security", 9);
  f.type = FieldType::kBool;
  f.display = Display::kToggle;
  f.value = false;
  f.default_value = false;
  f.required = false;
  f.tooltip =
      "Identity documents for the access-control index, and _allow_access_control on each document";
  return f;
}

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
      numeric("identities", "Users of the access-control documents", 3, 8),
      dls_toggle(),
  };
}

}  // namespace

std::optional<Document> generate_document(const GeneratorSettings& s, long long i) {
  auto version = version_of(s, i);
  if (!version) return std::nullopt;
  Document doc;
  doc.id = document_id(i);
  // A fixed epoch plus one day per version: stable across runs, changed when the version moves.
  doc.timestamp = iso_utc(kEpoch + *version * 86400, 0);
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
                {"version", *version},
                {"body", std::move(body)}};
  return doc;
}

Document generate_identity(long long k) {
  std::string user = fmt::format("user:user-{}", k);
  std::string email = fmt::format("email:user-{}@example.com", k);
  Document doc;
  doc.id = fmt::format("user-{}", k);
  doc.timestamp = iso_utc(kEpoch, 0);
  doc.fields = {
      {"identity", {{"username", user}, {"email", email}}},
      {"query",
       {{"template",
         {{"source", kDlsQuery}, {"params", {{"access_control", json::array({user, email})}}}}}}},
      {"created_at", doc.timestamp}};
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
            s.identities = c.integer("identities");
            s.use_document_level_security = c.boolean("use_document_level_security");
            if (s.documents < 0) throw ConfigError("documents", "must not be negative");
            if (s.identities < 0) throw ConfigError("identities", "must not be negative");
            return std::make_unique<GeneratorSource>(s);
          },
          Capabilities{.advanced_rules = false, .incremental = true, .access_control = true}};
}

}  // namespace connectors::sources
