// The directory source (service_type "dir", as in the Python framework): one
// document per regular file under a local folder, filtered by include and
// exclude globs, with the text of plain-text files as `body`.
#pragma once

#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor directory_descriptor();

}  // namespace connectors::sources
