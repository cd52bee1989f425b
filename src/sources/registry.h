// The sources built into this binary, by service_type. An explicit list in
// registry.cpp (no static self-registration: a static library would drop it),
// of the sources whose folder the build included (src/sources/CMakeLists.txt).
// Immutable after start; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "sources/source.h"

namespace connectors::sources {

const std::vector<SourceDescriptor>& registered_sources();

// The service types this build left out (their CONNECTORS_SOURCE_<NAME> off).
const std::vector<std::string>& sources_left_out();

// nullptr when unknown.
const SourceDescriptor* find_source(const std::string& service_type);

// Builds a source for `service_type` from a connector's configuration: unknown
// types and bad fields throw ConfigError naming them.
std::unique_ptr<Source> make_source(const std::string& service_type,
                                    const nlohmann::json& configuration);

}  // namespace connectors::sources
