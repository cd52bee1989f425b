// The Oracle source (`oracle`), through Oracle's ODBC driver (oracle_dialect.h).
#pragma once

#include "sources/source.h"

namespace connectors::sources {

Schema oracle_schema();
SourceDescriptor oracle_descriptor();

}  // namespace connectors::sources
