// The MongoDB source (service_type "mongodb"), after
// connectors/sources/mongo.py@8.8 plus HEAD's TLS fields and
// datetime_conversion: one document per document of one collection, streamed
// through a libmongoc cursor (a bounded batch at a time), or of the advanced
// rule's find / aggregate. Documents carry no _timestamp: the engine compares
// their content, so unchanged documents are not sent again. See
// docs/sources/mongodb.md.
#pragma once

#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor mongodb_descriptor();

// The configuration fields: @8.8's six, then HEAD's ssl_enabled, ssl_ca,
// tls_insecure and datetime_conversion.
Schema mongodb_schema();

}  // namespace connectors::sources
