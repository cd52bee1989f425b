// The MySQL source (service_type "mysql"), after connectors/sources/mysql.py
// @8.8: one document per row of every configured table that has a primary key,
// columns under their own names, ids made of the table name and the key
// values; rows are read unbuffered (mysql_use_result), so a table is never
// held in memory. Advanced sync rules (custom queries) are supported through
// sql::AdvancedRulesSource. Works with MySQL and MariaDB servers. See
// docs/sources/mysql.md.
#pragma once

#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor mysql_descriptor();

// The configuration fields, exactly as the framework @8.8 publishes them.
Schema mysql_schema();

}  // namespace connectors::sources
