#include "sources/source.h"

namespace connectors::sources {

bool has_advanced_rules(const nlohmann::json& value) {
  if (value.is_null()) return false;
  if (value.is_array() || value.is_object()) return !value.empty();
  if (value.is_string()) return !value.get<std::string>().empty();
  return true;
}

}  // namespace connectors::sources
