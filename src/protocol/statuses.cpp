#include "protocol/statuses.h"

namespace connectors::protocol {

bool is_terminal_job_status(std::string_view s) {
  return s == job_status::kCompleted || s == job_status::kCanceled || s == job_status::kError;
}

bool job_transition_allowed(std::string_view from, std::string_view to) {
  using namespace job_status;
  if (from == kPending) return to == kInProgress || to == kCanceled;
  if (from == kInProgress) {
    return to == kCanceling || to == kCompleted || to == kSuspended || to == kError;
  }
  if (from == kSuspended) return to == kInProgress || to == kCanceled;
  if (from == kCanceling) return to == kCanceled || to == kError;
  return false;
}

}  // namespace connectors::protocol
