#include "sources/registry.h"

#include "core/errors.h"
#include "sources/directory/directory_source.h"
#include "sources/generator/generator_source.h"
#include "sources/mongodb/mongodb_source.h"
#include "sources/mysql/mysql_source.h"
#include "sources/postgresql/postgresql_source.h"

namespace connectors::sources {
namespace {

SourceDescriptor with_advanced_rules(SourceDescriptor descriptor) {
  descriptor.capabilities.advanced_rules = true;
  return descriptor;
}

}  // namespace

const std::vector<SourceDescriptor>& registered_sources() {
  static const std::vector<SourceDescriptor> sources = {
      directory_descriptor(),
      generator_descriptor(),
      with_advanced_rules(mongodb_descriptor()),
      with_advanced_rules(mysql_descriptor()),
      with_advanced_rules(postgresql_descriptor()),
  };
  return sources;
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
    for (const auto& s : registered_sources()) known += (known.empty() ? "" : ", ") + s.service_type;
    throw ConfigError("service_type", "unknown source '" + service_type + "' (built in: " + known + ")");
  }
  Configuration values(descriptor->schema(), configuration);
  values.validate();
  return descriptor->create(values);
}

}  // namespace connectors::sources
