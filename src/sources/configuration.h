// A source's configuration schema (the Python framework's "Rich Configurable
// Fields") and the values a connector gives it. The schema is published into
// the connector document exactly as the framework publishes it; values are read
// back with the framework's rules (type casts, defaults for optional empty
// fields, depends_on, validations). Value types; safe to share read-only.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/secret.h"

namespace connectors::sources {

using json = nlohmann::json;

enum class FieldType { kStr, kInt, kBool, kList, kFloat };
enum class Display { kText, kTextarea, kNumeric, kToggle, kDropdown };

struct Dependency {
  std::string field;
  json value;
};

struct Validation {
  std::string type;  // less_than, greater_than, list_type, included_in, regex
  json constraint;
};

struct Field {
  std::string key;
  std::string label;
  FieldType type = FieldType::kStr;
  Display display = Display::kText;
  // The default the schema publishes as `value`, used when a connector lacks
  // the field: a real default only ("*", false, 50), never an example value
  // (a host, a user, a password) that would stand in for the user's.
  json value = "";
  json default_value = nullptr;  // fallback for optional empty fields
  bool required = true;
  bool sensitive = false;
  int order = 1;
  std::string tooltip;  // empty = null
  std::vector<Dependency> depends_on;
  std::vector<json> options;  // [{label, value}] for dropdowns
  std::vector<std::string> ui_restrictions;
  std::vector<Validation> validations;
};

using Schema = std::vector<Field>;

// A field with its key, label and order, every other property at the framework's default.
inline Field make_field(std::string key, std::string label, int order = 1) {
  Field f;
  f.key = std::move(key);
  f.label = std::move(label);
  f.order = order;
  return f;
}

// A toggle (bool), off unless set.
inline Field make_toggle(std::string key, std::string label, int order) {
  Field f = make_field(std::move(key), std::move(label), order);
  f.type = FieldType::kBool;
  f.display = Display::kToggle;
  f.value = false;
  return f;
}

// An optional integer field at `value` (its default too), among the advanced settings.
inline Field advanced_number(std::string key, std::string label, int order, long long value) {
  Field f = make_field(std::move(key), std::move(label), order);
  f.type = FieldType::kInt;
  f.display = Display::kNumeric;
  f.value = value;
  f.default_value = value;
  f.required = false;
  f.ui_restrictions = {"advanced"};
  return f;
}

// The file sources' `use_text_extraction_service` toggle, as the framework describes it.
inline Field extraction_service_toggle(int order) {
  Field f = make_toggle("use_text_extraction_service", "Use text extraction service", order);
  f.tooltip =
      "Requires a separate deployment of the Elastic Text Extraction Service. Requires that "
      "pipeline settings disable text extraction.";
  f.ui_restrictions = {"advanced"};
  return f;
}

// The `configuration` object of a connector document for this schema.
json schema_to_json(const Schema& schema);

// Values of one connector for one schema: read with casts and defaults.
class Configuration {
 public:
  // `connector_configuration` is the connector's `configuration` object
  // ({key: {value: ..., ...}}) or a flat {key: value} object.
  Configuration(Schema schema, const json& connector_configuration);

  // The getters throw ConfigError ("'Host' (host) cannot be empty") for a
  // required field that is empty or absent while its depends_on holds: only a
  // real default (the schema's `value`, an optional field's `default_value`)
  // stands in for what the connector does not set.
  std::string str(const std::string& key) const;
  Secret secret(const std::string& key) const;
  long long integer(const std::string& key) const;
  double number(const std::string& key) const;
  bool boolean(const std::string& key) const;
  std::vector<std::string> list(const std::string& key) const;
  bool has(const std::string& key) const;

  // Every field problem at once ("'Directory path' (directory) cannot be empty; ...").
  // Throws ConfigError naming the first bad key.
  void validate() const;

  const Schema& schema() const { return schema_; }

 private:
  const Field& field(const std::string& key) const;
  json raw(const std::string& key) const;    // value, or default for optional empty
  json given(const std::string& key) const;  // raw, checked for a required value
  bool active(const Field& field) const;     // depends_on satisfied

  Schema schema_;
  json values_;  // key -> value
};

}  // namespace connectors::sources
