// The Microsoft SQL Server source (`mssql`), through ODBC (mssql_dialect.h).
#pragma once

#include "sources/source.h"

namespace connectors::sources {

Schema mssql_schema();
SourceDescriptor mssql_descriptor();

}  // namespace connectors::sources
