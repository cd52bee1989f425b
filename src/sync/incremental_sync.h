// An incremental sync (the framework's "true incremental"): the source yields
// what changed since the connector's sync cursor — documents to index, ids to
// delete — and only that is written. No existing ids are loaded, nothing else
// is deleted, and the id cache is not used; basic rules still filter.
// Counters are what the engine acknowledged, as in a full sync.
#pragma once

#include "sync/full_sync.h"

namespace connectors::sync {

// `cursor` is the connector's sync_cursor (null when none was saved); the
// source's new cursor is then `changes.sync_cursor()`.
SyncResult run_incremental_sync(const es::ClientOptions& client_options, sources::Source& source,
                                sources::IncrementalSync& changes, const nlohmann::json& cursor,
                                SyncOptions options, std::stop_token stop = {});

}  // namespace connectors::sync
