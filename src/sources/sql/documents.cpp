#include "sources/sql/documents.h"

#include <algorithm>

#include "core/errors.h"

namespace connectors::sources::sql {

std::string prefixed_column(std::string_view schema, std::string_view table,
                            std::string_view column) {
  std::string name;
  if (!schema.empty()) name.append(schema).append("_");
  name.append(table).append("_").append(column);
  return common::lower(name);
}

std::string mapped_column(std::string_view schema, const std::vector<std::string>& tables,
                          std::string_view column) {
  std::string prefix;
  // map_column_names strips the schema before using it.
  auto start = schema.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos) {
    auto end = schema.find_last_not_of(" \t\r\n");
    prefix.append(schema.substr(start, end - start + 1)).append("_");
  }
  if (!tables.empty()) {
    std::vector<std::string> sorted = tables;
    std::sort(sorted.begin(), sorted.end());
    prefix += common::join(sorted, "_") + "_";
  }
  return common::lower(prefix + std::string(column));
}

std::string generic_database_id(std::string_view database, std::string_view schema,
                                std::string_view table, const std::vector<const Value*>& keys) {
  std::string keys_value;
  for (const Value* key : keys) {
    if (key != nullptr && python_truthy(*key)) keys_value += python_str(*key) + "_";
  }
  std::string id(database);
  id += "_";
  if (!schema.empty()) id.append(schema).append("_");
  id.append(table).append("_");
  return id + keys_value;
}

std::string hash_id(const std::vector<std::string>& tables, const std::vector<const Value*>& keys) {
  std::vector<std::string> sorted = tables;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> values;
  for (const Value* key : keys) {
    if (key != nullptr && key->kind != Kind::kNull) values.push_back(python_str(*key));
  }
  return common::join(sorted, "_") + "_" + common::join(values, "_");
}

TableSelection parse_tables(const std::vector<std::string>& configured) {
  TableSelection selection;
  for (const auto& name : configured) {
    if (!name.empty()) selection.names.push_back(name);
  }
  if (selection.names.size() == 1 && selection.names.front() == "*") {
    selection.all = true;
    selection.names.clear();
    return selection;
  }
  if (std::find(selection.names.begin(), selection.names.end(), "*") != selection.names.end()) {
    throw ConfigError("tables",
                      "'Comma-separated list of tables' (tables): use * alone for every "
                      "table, or a list of table names without *");
  }
  return selection;
}

}  // namespace connectors::sources::sql
