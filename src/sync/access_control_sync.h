// An access-control sync (the framework's DLS sync): the source's identity
// documents into the access-control index (`.search-acl-filter-<content
// index>`, created if missing), reconciled as a full sync does — unchanged
// documents skipped, the ones the source no longer has deleted — but with no
// basic rules, no ingest pipeline and no pipeline control fields.
#pragma once

#include "sync/full_sync.h"

namespace connectors::sync {

// `options.index` is the access-control index itself.
SyncResult run_access_control_sync(const es::ClientOptions& client_options,
                                   sources::AccessControl& access_control, SyncOptions options,
                                   std::stop_token stop = {});

}  // namespace connectors::sync
