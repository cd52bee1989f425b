// The Confluence source (the framework's ConfluenceDataSource, service_type
// `confluence`, docs/sources/confluence.md): spaces, pages, blog posts and
// their attachments from Confluence Cloud or Server, CQL advanced rules, and
// document-level security from space permissions and page restrictions.
#pragma once

#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor confluence_descriptor();

}  // namespace connectors::sources
