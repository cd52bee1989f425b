#include "sources/registry.h"

namespace connectors::sources {

const std::vector<SourceInfo>& registered_sources() {
  static const std::vector<SourceInfo> sources = {};
  return sources;
}

const SourceInfo* find_source(const std::string& service_type) {
  for (const auto& source : registered_sources()) {
    if (source.service_type == service_type) return &source;
  }
  return nullptr;
}

}  // namespace connectors::sources
