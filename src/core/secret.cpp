#include "core/secret.h"

#include "core/logging.h"

namespace connectors {

Secret::Secret(std::string value) : value_(std::move(value)) {
  // Defence in depth: should the plain value ever reach a log line by another
  // path (an error message from a library, say), the log formatter masks it.
  logging::register_secret(value_);
}

std::ostream& operator<<(std::ostream& out, const Secret&) { return out << Secret::kMask; }

}  // namespace connectors
