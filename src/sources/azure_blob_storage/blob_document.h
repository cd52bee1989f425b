// A blob as the framework's azure_blob_storage source indexes it
// (prepare_blob_doc): `_id` "{container}/{blob}", `_timestamp` the blob's
// Last-Modified in Python's isoformat(), and the fields "created at",
// "content type", "container metadata", "metadata", "leasedata" (the last
// three as Python's str() of the SDK's dicts), title, tier, size, container.
// Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sources/azure_blob_storage/blob_listing.h"
#include "sources/source.h"

namespace connectors::sources::azure {

// str(dict) of text pairs: "{'k': 'v'}", "{}"; nullopt is "None".
std::string python_dict_str(const std::optional<Metadata>& pairs);

// str(blob.lease): "{'status': 'unlocked', 'state': 'available', 'duration': None}".
std::string python_lease_str(const BlobItem& blob);

// An RFC 1123 date of the listing ("Wed, 10 May 2023 12:00:00 GMT") as
// datetime.isoformat() writes it ("2023-05-10T12:00:00+00:00"); nullopt when
// it is not a date.
std::optional<std::string> isoformat_of_http_date(std::string_view date);

// The document of `blob` in `container`, without its content. Throws
// SourceError naming the blob when its Last-Modified cannot be read.
Document blob_document(const ContainerItem& container, const BlobItem& blob);

}  // namespace connectors::sources::azure
