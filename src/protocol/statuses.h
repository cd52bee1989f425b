// The statuses of connectors and sync jobs, and which job transitions the
// protocol allows (Elasticsearch's ConnectorSyncJobStateMachine). Pure.
#pragma once

#include <string_view>

namespace connectors::protocol {

namespace connector_status {
inline constexpr const char* kCreated = "created";
inline constexpr const char* kNeedsConfiguration = "needs_configuration";
inline constexpr const char* kConfigured = "configured";
inline constexpr const char* kConnected = "connected";
inline constexpr const char* kError = "error";
}  // namespace connector_status

namespace job_status {
inline constexpr const char* kPending = "pending";
inline constexpr const char* kInProgress = "in_progress";
inline constexpr const char* kCanceling = "canceling";
inline constexpr const char* kCanceled = "canceled";
inline constexpr const char* kSuspended = "suspended";
inline constexpr const char* kCompleted = "completed";
inline constexpr const char* kError = "error";
}  // namespace job_status

namespace job_type {
inline constexpr const char* kFull = "full";
inline constexpr const char* kIncremental = "incremental";
inline constexpr const char* kAccessControl = "access_control";
}  // namespace job_type

bool is_terminal_job_status(std::string_view status);

// pending→{in_progress, canceled}; in_progress→{canceling, completed, suspended, error};
// suspended→{in_progress, canceled}; canceling→{canceled, error}; terminal→∅.
bool job_transition_allowed(std::string_view from, std::string_view to);

}  // namespace connectors::protocol
