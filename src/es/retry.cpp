#include "es/retry.h"

namespace connectors::es {

bool is_retryable_status(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

}  // namespace connectors::es
