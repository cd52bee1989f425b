// The directory source (service_type "dir", as in the Python framework): one
// document per regular file under a local folder, filtered by include and
// exclude globs. Listing reads no file: each document carries a ContentRef
// that the engine fetches only for new and changed files.
#pragma once

#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor directory_descriptor();

}  // namespace connectors::sources
