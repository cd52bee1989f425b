// How the Python framework names the fields and builds the ids of the documents
// its SQL sources make from rows, and how it reads the `tables` setting. Two id
// schemes exist: the generic-database one of PostgreSQL/MSSQL/Oracle @8.8
// (`{database}_{schema}_{table}_{pk}_`, falsy key values dropped) and MySQL's
// `generate_id` (= `hash_id` at HEAD: sorted tables, then the key values that
// are not None). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sources/sql/values.h"

namespace connectors::sources::sql {

// generic_database@8.8: f"{schema}_{table}_{column}".lower(), or
// f"{table}_{column}".lower() without a schema.
std::string prefixed_column(std::string_view schema, std::string_view table,
                            std::string_view column);

// generic_database@HEAD map_column_names: prefix "{schema}_" (if any) and
// "{'_'.join(sorted(tables))}_", lower-cased. Used for custom-query columns.
std::string mapped_column(std::string_view schema, const std::vector<std::string>& tables,
                          std::string_view column);

// generic_database@8.8 `_id`: f"{database}_{schema}_{table}_{keys_value}" where
// keys_value is f"{value}_" for each primary-key value that is truthy, in key
// order (so 0, "" and NULL are skipped and the id ends with "_").
std::string generic_database_id(std::string_view database, std::string_view schema,
                                std::string_view table, const std::vector<const Value*>& keys);

// mysql@8.8 generate_id / generic_database@HEAD hash_id:
// "_".join(sorted(tables)) + "_" + "_".join(str(v) for v in keys if v is not None).
std::string hash_id(const std::vector<std::string>& tables, const std::vector<const Value*>& keys);

// The `tables` setting after the framework's list cast: `*` alone means every
// table (is_wildcard: tables in ("*", ["*"])); otherwise the names, empty items
// dropped (configured_tables). `*` next to other names is refused (ConfigError
// on `tables`): the framework would look for a table called "*".
struct TableSelection {
  bool all = false;
  std::vector<std::string> names;
};
TableSelection parse_tables(const std::vector<std::string>& configured);

}  // namespace connectors::sources::sql
