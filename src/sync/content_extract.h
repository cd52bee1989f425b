// What the engine makes of a document's fetched content — the one place the
// content extraction stage replaces. For now, as before lazy content: the
// bytes of plain-text files become `body`; other types keep their metadata
// only, and are not fetched at all.
#pragma once

#include "sources/source.h"
#include "sync/spooled_content.h"

namespace connectors::sync {

// True if the content of `ref` is worth fetching: its type can be extracted.
bool wants_content(const sources::ContentRef& ref);

// Adds the text of `content` to `doc` (its `body`). Throws Error when the
// spooled content cannot be read back.
void add_content(sources::Document& doc, const SpooledContent& content);

}  // namespace connectors::sync
