#include "sources/generator/generator_source.h"

#include <gtest/gtest.h>

#include "core/errors.h"
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
