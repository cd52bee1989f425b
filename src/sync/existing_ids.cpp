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

uint64_t ExistingIds::id_hash(std::string_view id) { return hash64(id); }

void ExistingIds::add(std::string_view id, uint64_t version) {
  entries_.push_back({hash64(id), version & ~kSeen});
}

bool ExistingIds::restore(std::vector<IdEntry> sorted) {
  entries_.clear();
  seen_ = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if ((i > 0 && sorted[i - 1].id >= sorted[i].id) || (sorted[i].version & kSeen) != 0) return false;
  }
  entries_ = std::move(sorted);
  return true;
}

void ExistingIds::apply_sync(std::vector<std::vector<IdEntry>> written) {
  // One exact allocation and an in-place sort keep the peak at the old set plus
  // the new one. The top bit marks a written entry so that it sorts before the
  // old entry of the same id and wins; unseen entries were deleted.
  size_t total = seen_;
  for (const auto& block : written) total += block.size();
  std::vector<IdEntry> merged;
  merged.reserve(total);
  for (const Entry& e : entries_) {
    if ((e.version & kSeen) != 0) merged.push_back({e.id, e.version & ~kSeen});
  }
  entries_.clear();
  entries_.shrink_to_fit();
  for (auto& block : written) {
    for (const Entry& e : block) merged.push_back({e.id, e.version | kSeen});
    std::vector<IdEntry>().swap(block);
  }
  std::sort(merged.begin(), merged.end(), [](const Entry& a, const Entry& b) {
    return a.id != b.id ? a.id < b.id : (a.version & kSeen) > (b.version & kSeen);
  });
  merged.erase(std::unique(merged.begin(), merged.end(),
                           [](const Entry& a, const Entry& b) { return a.id == b.id; }),
               merged.end());
  for (Entry& e : merged) e.version &= ~kSeen;
  entries_ = std::move(merged);
  seen_ = 0;
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

const ExistingIds::Entry* ExistingIds::find(uint64_t hash) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), hash,
                             [](const Entry& e, uint64_t h) { return e.id < h; });
  return it != entries_.end() && it->id == hash ? &*it : nullptr;
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
