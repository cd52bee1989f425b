// The sources built into this binary, by service_type. An explicit list in
// registry.cpp (no static self-registration: a static library would drop it).
// Immutable after start; safe from any thread.
#pragma once

#include <string>
#include <vector>

namespace connectors::sources {

struct SourceInfo {
  std::string service_type;  // exactly the Python framework's, e.g. "mysql"
  std::string name;          // human name, e.g. "MySQL"
};

const std::vector<SourceInfo>& registered_sources();

const SourceInfo* find_source(const std::string& service_type);

}  // namespace connectors::sources
