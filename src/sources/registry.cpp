#include "sources/registry.h"

#include <algorithm>

#include "core/errors.h"
#include "sources/built_sources.h"

namespace connectors::sources {

const std::vector<SourceDescriptor>& registered_sources() {
  // One entry per connectors_source(...) line of src/sources/CMakeLists.txt.
  static const std::vector<SourceDescriptor> sources = {CONNECTORS_BUILT_SOURCES};
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
