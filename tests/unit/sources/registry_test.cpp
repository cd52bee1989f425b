// name: the registry lists the sources the build has
// description: exactly the service types whose folders CMake built
// (BUILT_SOURCE_TYPES, from src/sources/CMakeLists.txt and its options), and a
// source left out is named as such when a connector asks for it.
#include "sources/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "core/errors.h"

namespace connectors::sources {
namespace {

std::set<std::string> split(const std::string& text) {
  std::set<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.insert(item);
  return out;
}

TEST(Registry, ListsExactlyTheSourcesCMakeBuilt) {
  std::set<std::string> registered;
  for (const auto& source : registered_sources()) {
    EXPECT_FALSE(source.name.empty()) << source.service_type;
    EXPECT_TRUE(registered.insert(source.service_type).second) << "twice: " << source.service_type;
  }
  EXPECT_EQ(registered, split(BUILT_SOURCE_TYPES));
  EXPECT_TRUE(registered.count("dir") && registered.count("generator"));  // no option: always built
  for (const auto& type : sources_left_out()) {
    EXPECT_EQ(find_source(type), nullptr) << type;
  }
}

TEST(Registry, AnUnknownOrLeftOutSourceIsNamed) {
  try {
    make_source("bogus", nlohmann::json::object());
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown source 'bogus'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("dir"), std::string::npos) << e.what();
  }
  for (const auto& type : sources_left_out()) {
    try {
      make_source(type, nlohmann::json::object());
      FAIL() << type;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("left out of this build"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace connectors::sources
