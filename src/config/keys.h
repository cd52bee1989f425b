// The table of every config.yml key: its type, default and meaning. This table
// is the single source for loading, validation, unknown-key warnings and the
// docs (tests check docs/CONFIG.md against it). Immutable; safe from any thread.
#pragma once

#include <span>
#include <string_view>

namespace connectors::config {

enum class ValueType {
  kString,
  kSecret,      // a string that is never printed (passwords, API keys)
  kInt,
  kFloat,
  kBool,
  kStringList,  // a YAML sequence of strings
  kStringMap,   // a YAML mapping of string to string
  kConnectors,  // the `connectors` list of {connector_id, service_type, api_key}
};

struct KeySpec {
  std::string_view key;            // dotted path, e.g. "elasticsearch.bulk.chunk_size"
  ValueType type;
  std::string_view default_value;  // as YAML text; empty = unset
  double min = 0;                  // numeric lower bound (inclusive)
  double max = 0;                  // numeric upper bound (inclusive); 0 = none
  std::string_view doc;
};

std::span<const KeySpec> all_keys();

// The spec of a full dotted key, or nullptr.
const KeySpec* find_key(std::string_view key);

// True if `prefix` is a strict prefix (a section) of some key: "elasticsearch.bulk".
bool is_section(std::string_view prefix);

std::string_view type_name(ValueType type);

// Why a key that is read for compatibility changes nothing here; empty for
// the keys that do. The loader warns when such a key is set to a non-default.
std::string_view without_effect(std::string_view key);

}  // namespace connectors::config
