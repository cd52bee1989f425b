#include "sync/existing_ids.h"

#include <algorithm>

#include "core/hash.h"
#include "core/iso_time.h"

#include <string>

namespace connectors::sync {

uint64_t ExistingIds::version_of(std::string_view version_text) {
  return hash64(version_text, 0x5eed) & ~kSeen;
}

uint64_t ExistingIds::version_of_millis(long long epoch_millis) {
  return version_of("ms:" + std::to_string(epoch_millis));
}

uint64_t ExistingIds::version_of_timestamp(std::string_view timestamp) {
  if (auto millis = parse_iso_millis(timestamp)) return version_of_millis(*millis);
  return version_of(timestamp);
}

void ExistingIds::add(std::string_view id, uint64_t version) {
  entries_.push_back({hash64(id), version & ~kSeen});
}

void ExistingIds::seal() {
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.id < b.id; });
  // Two documents whose ids collide keep one entry; the lost one is then
  // treated as new (re-sent) and never deleted, the safe side.
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](const Entry& a, const Entry& b) { return a.id == b.id; }),
                 entries_.end());
  entries_.shrink_to_fit();
}

const ExistingIds::Entry* ExistingIds::find(uint64_t id_hash) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), id_hash,
                             [](const Entry& e, uint64_t h) { return e.id < h; });
  return it != entries_.end() && it->id == id_hash ? &*it : nullptr;
}

Presence ExistingIds::check_and_mark(std::string_view id, uint64_t version) {
  auto* entry = const_cast<Entry*>(find(hash64(id)));
  if (entry == nullptr) return Presence::kNew;
  if ((entry->version & kSeen) == 0) {
    entry->version |= kSeen;
    ++seen_;
  }
  return (entry->version & ~kSeen) == (version & ~kSeen) ? Presence::kUnchanged
                                                         : Presence::kChanged;
}

bool ExistingIds::is_unseen(std::string_view id) const {
  const Entry* entry = find(hash64(id));
  return entry != nullptr && (entry->version & kSeen) == 0;
}

}  // namespace connectors::sync
