// The Google Cloud Storage source (service_type "google_cloud_storage", as in
// the Python framework): one document per object of the configured buckets
// (`*`: every bucket of the service account's project), listed through the
// JSON API with a service account's OAuth 2.0 token. Listing downloads
// nothing: each document carries a ContentRef the engine fetches (alt=media)
// only for new and changed objects.
#pragma once

#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor google_cloud_storage_descriptor();

}  // namespace connectors::sources
