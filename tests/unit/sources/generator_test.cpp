#include <gtest/gtest.h>

#include <map>

#include "core/errors.h"
#include "sources/generator/generator_source.h"
#include "sources/registry.h"

namespace connectors::sources {
namespace {

class Collect final : public DocumentSink {
 public:
  void emit(Document document) override { docs.push_back(std::move(document)); }
  void warn(std::string message) override { warnings.push_back(std::move(message)); }
  std::vector<Document> docs;
  std::vector<std::string> warnings;
};

TEST(GeneratorSource, DeterministicDocumentsOfTheGivenSize) {
  GeneratorSettings s;
  s.document_size = 1024;
  auto a = generate_document(s, 42);
  auto b = generate_document(s, 42);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->id, "doc-000000042");
  EXPECT_EQ(a->fields, b->fields);
  EXPECT_EQ(a->timestamp, b->timestamp);
  size_t size = a->fields.dump().size();
  EXPECT_GT(size, 800u);
  EXPECT_LT(size, 1100u);
}

TEST(GeneratorSource, LaterGenerationChangesAndDeletesFractions) {
  GeneratorSettings s;
  s.documents = 10000;
  GeneratorSettings next = s;
  next.generation = 1;
  next.changed_fraction = 0.2;
  next.deleted_fraction = 0.1;
  int deleted = 0, changed = 0;
  for (long long i = 0; i < s.documents; ++i) {
    auto before = generate_document(s, i);
    auto after = generate_document(next, i);
    if (!after) {
      ++deleted;
    } else if (after->timestamp != before->timestamp) {
      ++changed;
    }
  }
  EXPECT_NEAR(deleted, 1000, 150);
  EXPECT_NEAR(changed, 1800, 200);  // 20 % of the 90 % that remain
}

TEST(GeneratorSource, FailAfterThrowsSourceError) {
  auto source = make_source("generator", {{"documents", 10}, {"fail_after", 4}});
  Collect sink;
  EXPECT_THROW(source->documents(sink, {}), SourceError);
  EXPECT_EQ(sink.docs.size(), 4u);
}

// An index as a map id → timestamp, changed by what a sync yields.
class Index final : public DocumentSink, public ChangeSink {
 public:
  void emit(Document document) override { docs[document.id] = document.timestamp; }
  void warn(std::string) override {}
  DocumentSink& documents() override { return *this; }
  void remove(std::string id) override {
    ++removed;
    docs.erase(id);
  }
  std::map<std::string, std::string> docs;
  int removed = 0;
};

json generation(int g, long long documents) {
  return {{"documents", documents},
          {"generation", g},
          {"changed_fraction", 0.2},
          {"deleted_fraction", 0.1}};
}

TEST(GeneratorSource, IncrementalChangesLeaveWhatAFullSyncWould) {
  auto first = make_source("generator", generation(0, 2000));
  Index index;
  first->documents(index, {});
  json cursor = first->incremental()->sync_cursor();
  ASSERT_TRUE(cursor.is_object());
  // Generation 1 with more documents, then generation 2 with fewer.
  for (auto [g, n] : {std::pair{1, 2500LL}, std::pair{2, 1500LL}}) {
    SCOPED_TRACE(g);
    auto next = make_source("generator", generation(g, n));
    Index delta;
    delta.docs = index.docs;
    next->incremental()->changes(cursor, delta, {});
    Index full;
    next->documents(full, {});
    EXPECT_EQ(delta.docs, full.docs);
    EXPECT_GT(delta.removed, 0);
    cursor = next->incremental()->sync_cursor();
    index = delta;
  }
}

TEST(GeneratorSource, IncrementalWithoutACursorAsksForAFullSync) {
  auto source = make_source("generator", json::object());
  EXPECT_TRUE(source->incremental()->sync_cursor().is_null());
  Index index;
  try {
    source->incremental()->changes(nullptr, index, {});
    FAIL();
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("full sync"), std::string::npos) << e.what();
  }
  EXPECT_THROW(source->incremental()->changes(json{{"generation", "x"}}, index, {}), SourceError);
}

TEST(GeneratorSource, AccessControlOnlyWithTheFeatureAndTheToggle) {
  for (bool feature : {false, true}) {
    for (bool toggle : {false, true}) {
      SCOPED_TRACE(std::to_string(feature) + " " + std::to_string(toggle));
      auto source = make_source(
          "generator",
          {{"documents", 4}, {"identities", 2}, {"use_document_level_security", toggle}});
      source->access_control()->enable_document_level_security(feature);
      Collect identities, content;
      source->access_control()->access_control_documents(identities, {});
      source->documents(content, {});
      bool on = feature && toggle;
      EXPECT_EQ(identities.docs.size(), on ? 2u : 0u);
      ASSERT_EQ(content.docs.size(), 4u);
      EXPECT_EQ(content.docs[3].fields.contains("_allow_access_control"), on);
      if (on) {
        EXPECT_EQ(content.docs[3].fields["_allow_access_control"], json::array({"user:user-1"}));
      }
    }
  }
}

TEST(GeneratorSource, IdentityDocumentsHaveTheFrameworksShape) {
  Document user = generate_identity(1);
  EXPECT_EQ(user.id, "user-1");
  EXPECT_EQ(user.fields["identity"]["username"], "user:user-1");
  const json& tpl = user.fields["query"]["template"];
  EXPECT_NE(tpl["source"].get<std::string>().find("_allow_access_control"), std::string::npos);
  EXPECT_EQ(tpl["params"]["access_control"],
            json::array({"user:user-1", "email:user-1@example.com"}));
  EXPECT_TRUE(user.fields.contains("created_at"));
  // The template is JSON once its parameter is filled in.
  std::string query = tpl["source"];
  const std::string parameter = "{{#toJson}}access_control{{/toJson}}";
  auto at = query.find(parameter);
  ASSERT_NE(at, std::string::npos);
  query.replace(at, parameter.size(), R"(["user:user-1"])");
  EXPECT_FALSE(json::parse(query, nullptr, false).is_discarded()) << query;
}

TEST(SourceRegistry, UnknownTypeNamesIt) {
  try {
    make_source("nope", json::object());
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("dir"), std::string::npos);
  }
}

}  // namespace
}  // namespace connectors::sources
