#include "sources/registry.h"

#include <algorithm>

#include "core/errors.h"
#include "sources/built_sources.h"
#include "sources/directory/directory_source.h"
#include "sources/generator/generator_source.h"
#include "sources/mongodb/mongodb_source.h"
#include "sources/mysql/mysql_source.h"
#include "sources/postgresql/postgresql_source.h"

namespace connectors::sources {
namespace {

[[maybe_unused]] SourceDescriptor with_advanced_rules(SourceDescriptor descriptor) {
  descriptor.capabilities.advanced_rules = true;
  return descriptor;
}

// `descriptor,` when src/sources/<folder> was built (its CMake option on).
#define IF_BUILT(folder, descriptor) CONNECTORS_SOURCE_BUILT_##folder(descriptor)

}  // namespace

const std::vector<SourceDescriptor>& registered_sources() {
  // clang-format off
  static const std::vector<SourceDescriptor> sources = {
      // One line per source.
      IF_BUILT(directory, directory_descriptor())
      IF_BUILT(generator, generator_descriptor())
      IF_BUILT(mongodb, with_advanced_rules(mongodb_descriptor()))
      IF_BUILT(mysql, with_advanced_rules(mysql_descriptor()))
      IF_BUILT(postgresql, with_advanced_rules(postgresql_descriptor()))
  };
  // clang-format on
  return sources;
}

const std::vector<std::string>& sources_left_out() {
  static const std::vector<std::string> types = {CONNECTORS_SOURCES_LEFT_OUT};
  return types;
}

const SourceDescriptor* find_source(const std::string& service_type) {
  for (const auto& source : registered_sources()) {
    if (source.service_type == service_type) return &source;
  }
  return nullptr;
}

std::unique_ptr<Source> make_source(const std::string& service_type,
                                    const nlohmann::json& configuration) {
  const SourceDescriptor* descriptor = find_source(service_type);
  if (descriptor == nullptr) {
    std::string known;
    for (const auto& s : registered_sources())
      known += (known.empty() ? "" : ", ") + s.service_type;
    const auto& left_out = sources_left_out();
    if (std::find(left_out.begin(), left_out.end(), service_type) != left_out.end()) {
      throw ConfigError(
          "service_type",
          "the " + service_type + " source was left out of this build (built in: " + known + ")");
    }
    throw ConfigError("service_type",
                      "unknown source '" + service_type + "' (built in: " + known + ")");
  }
  Configuration values(descriptor->schema(), configuration);
  values.validate();
  return descriptor->create(values);
}

}  // namespace connectors::sources
