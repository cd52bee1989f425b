// The PostgreSQL source (service_type "postgresql"), after
// connectors/sources/postgresql.py@8.8 and its generic database engine: one
// document per row of every table with a primary key, in every schema of the
// database (pg_catalog, information_schema and the toast/temp schemas aside),
// streamed through a server-side cursor `fetch_size` rows at a time. Advanced
// sync rules (custom queries, as in later releases) are supported through
// sql::AdvancedRulesSource. See docs/sources/postgresql.md.
#pragma once

#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor postgresql_descriptor();

// The configuration fields, exactly as the framework @8.8 publishes them.
Schema postgresql_schema();

}  // namespace connectors::sources
