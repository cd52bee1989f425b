// Reading Atlassian's JSON answers, whose ids are strings or numbers
// depending on the product, the version and the deployment.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace connectors::sources::atlassian {

// The string or number at a JSON pointer ("/space/key"), as text; "" when absent or else.
std::string text_at(const nlohmann::json& object, const char* pointer);

}  // namespace connectors::sources::atlassian
