#include "sync/access_control_sync.h"

namespace connectors::sync {
namespace {

// The identity documents, enumerated as a full sync enumerates documents.
class IdentityDocuments final : public sources::Source {
 public:
  explicit IdentityDocuments(sources::AccessControl& access_control)
      : access_control_(access_control) {}
  void ping(std::stop_token) override {}
  void documents(sources::DocumentSink& sink, std::stop_token stop) override {
    access_control_.access_control_documents(sink, stop);
  }

 private:
  sources::AccessControl& access_control_;
};

}  // namespace

SyncResult run_access_control_sync(const es::ClientOptions& client_options,
                                   sources::AccessControl& access_control, SyncOptions options,
                                   std::stop_token stop) {
  options.rules = {};
  options.pipeline.clear();
  options.control_fields = false;
  IdentityDocuments identities(access_control);
  return run_full_sync(client_options, identities, options, stop);
}

}  // namespace connectors::sync
