#include "sync/incremental_sync.h"

namespace connectors::sync {

SyncResult run_incremental_sync(const es::ClientOptions& client_options, sources::Source& source,
                                sources::IncrementalSync& changes, const nlohmann::json& cursor,
                                SyncOptions options, std::stop_token stop) {
  options.changes = [&](sources::ChangeSink& sink, std::stop_token token) {
    changes.changes(cursor, sink, token);
  };
  return run_full_sync(client_options, source, options, stop);
}

}  // namespace connectors::sync
