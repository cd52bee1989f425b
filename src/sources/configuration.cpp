#include "sources/configuration.h"

#include <regex>

#include "core/errors.h"
#include "core/text.h"

namespace connectors::sources {
namespace {

const char* type_text(FieldType type) {
  switch (type) {
    case FieldType::kStr:
      return "str";
    case FieldType::kInt:
      return "int";
    case FieldType::kBool:
      return "bool";
    case FieldType::kList:
      return "list";
    case FieldType::kFloat:
      return "float";
  }
  return "str";
}

const char* display_text(Display display) {
  switch (display) {
    case Display::kText:
      return "text";
    case Display::kTextarea:
      return "textarea";
    case Display::kNumeric:
      return "numeric";
    case Display::kToggle:
      return "toggle";
    case Display::kDropdown:
      return "dropdown";
  }
  return "text";
}

bool is_empty(const json& value) {
  return value.is_null() || (value.is_string() && value.get<std::string>().empty()) ||
         (value.is_array() && value.empty());
}

std::string display_name(const Field& f) {
  return "'" + (f.label.empty() ? f.key : f.label) + "' (" + f.key + ")";
}

}  // namespace

json schema_to_json(const Schema& schema) {
  json out = json::object();
  for (const auto& f : schema) {
    json depends = json::array();
    for (const auto& d : f.depends_on) depends.push_back({{"field", d.field}, {"value", d.value}});
    json validations = json::array();
    for (const auto& v : f.validations) {
      validations.push_back({{"type", v.type}, {"constraint", v.constraint}});
    }
    out[f.key] = {
        {"default_value", f.default_value},
        {"depends_on", depends},
        {"display", display_text(f.display)},
        {"label", f.label.empty() ? f.key : f.label},
        {"options", f.options},
        {"order", f.order},
        {"required", f.required},
        {"sensitive", f.sensitive},
        {"tooltip", f.tooltip.empty() ? json(nullptr) : json(f.tooltip)},
        {"type", type_text(f.type)},
        {"ui_restrictions", f.ui_restrictions},
        {"validations", validations},
        {"value", f.value},
    };
  }
  return out;
}

Configuration::Configuration(Schema schema, const json& connector_configuration)
    : schema_(std::move(schema)), values_(json::object()) {
  for (const auto& f : schema_) values_[f.key] = f.value;
  if (!connector_configuration.is_object()) return;
  for (const auto& [key, entry] : connector_configuration.items()) {
    values_[key] = entry.is_object() && entry.contains("value") ? entry["value"] : entry;
  }
}

const Field& Configuration::field(const std::string& key) const {
  for (const auto& f : schema_) {
    if (f.key == key) return f;
  }
  throw std::logic_error("no configuration field '" + key + "' in the schema");
}

bool Configuration::has(const std::string& key) const {
  return values_.contains(key) && !is_empty(values_[key]);
}

json Configuration::raw(const std::string& key) const {
  const Field& f = field(key);
  json value = values_.value(key, json(nullptr));
  if (is_empty(value) && !f.required && !f.default_value.is_null()) return f.default_value;
  return value;
}

json Configuration::given(const std::string& key) const {
  json value = raw(key);
  const Field& f = field(key);
  // Never a guess in place of a required value (issue 12.6): the source is not built.
  if (is_empty(value) && f.required && active(f)) {
    throw ConfigError(key, display_name(f) + " cannot be empty");
  }
  return value;
}

std::string Configuration::str(const std::string& key) const {
  json value = given(key);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

Secret Configuration::secret(const std::string& key) const { return Secret(str(key)); }

long long Configuration::integer(const std::string& key) const {
  json value = given(key);
  if (value.is_number_integer()) return value.get<long long>();
  if (value.is_number()) return static_cast<long long>(value.get<double>());
  std::string text = trim(str(key));
  if (text.empty()) return 0;
  try {
    size_t used = 0;
    long long out = std::stoll(text, &used);
    if (used == text.size()) return out;
  } catch (const std::exception&) {
  }
  throw ConfigError(key, display_name(field(key)) + " must be an integer, got '" + text + "'");
}

double Configuration::number(const std::string& key) const {
  json value = given(key);
  if (value.is_number()) return value.get<double>();
  std::string text = trim(str(key));
  try {
    size_t used = 0;
    double out = std::stod(text, &used);
    if (used == text.size()) return out;
  } catch (const std::exception&) {
  }
  throw ConfigError(key, display_name(field(key)) + " must be a number, got '" + text + "'");
}

bool Configuration::boolean(const std::string& key) const {
  json value = given(key);
  if (value.is_boolean()) return value.get<bool>();
  std::string text = trim(str(key));
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
  if (text == "false" || text == "no" || text == "off" || text == "0" || text.empty()) return false;
  throw ConfigError(key, display_name(field(key)) + " must be true or false, got '" + text + "'");
}

std::vector<std::string> Configuration::list(const std::string& key) const {
  json value = given(key);
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const auto& item : value) {
      std::string text = item.is_string() ? item.get<std::string>() : item.dump();
      if (!trim(text).empty()) out.push_back(trim(text));
    }
    return out;
  }
  // The framework casts lists from comma-separated strings, trimming each item.
  std::string text = str(key);
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item =
        trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool Configuration::active(const Field& f) const {
  for (const auto& dependency : f.depends_on) {
    if (values_.value(dependency.field, json(nullptr)) != dependency.value) return false;
  }
  return true;
}

void Configuration::validate() const {
  std::vector<std::pair<std::string, std::string>> problems;
  for (const auto& f : schema_) {
    if (!active(f)) continue;
    json value = raw(f.key);
    if (is_empty(value)) {
      if (f.required) problems.emplace_back(f.key, display_name(f) + " cannot be empty");
      continue;
    }
    try {
      switch (f.type) {
        case FieldType::kInt:
          (void)integer(f.key);
          break;
        case FieldType::kFloat:
          (void)number(f.key);
          break;
        case FieldType::kBool:
          (void)boolean(f.key);
          break;
        default:
          break;
      }
    } catch (const ConfigError& e) {
      problems.emplace_back(f.key, e.what());
      continue;
    }
    for (const auto& v : f.validations) {
      bool ok = true;
      if (v.type == "less_than")
        ok = number(f.key) < v.constraint.get<double>();
      else if (v.type == "greater_than")
        ok = number(f.key) > v.constraint.get<double>();
      else if (v.type == "regex")
        ok = std::regex_match(str(f.key), std::regex(v.constraint.get<std::string>()));
      else if (v.type == "included_in") {
        for (const auto& item :
             f.type == FieldType::kList ? list(f.key) : std::vector{str(f.key)}) {
          bool found = false;
          for (const auto& allowed : v.constraint) found |= allowed.is_string() && allowed == item;
          ok &= found;
        }
      }
      if (!ok) {
        problems.emplace_back(
            f.key, display_name(f) + " fails validation " + v.type + " " + v.constraint.dump());
      }
    }
  }
  if (problems.empty()) return;
  std::string message = "Field validation errors: ";
  for (size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i].second;
  throw ConfigError(problems.front().first, message);
}

}  // namespace connectors::sources
