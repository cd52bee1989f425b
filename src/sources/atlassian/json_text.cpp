#include "sources/atlassian/json_text.h"

namespace connectors::sources::atlassian {

std::string text_at(const nlohmann::json& object, const char* pointer) {
  const nlohmann::json::json_pointer at(pointer);
  if (!object.contains(at)) return "";
  const nlohmann::json& value = object.at(at);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return value.dump();
  return "";
}

}  // namespace connectors::sources::atlassian
