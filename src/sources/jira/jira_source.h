// The Jira source (the framework's JiraDataSource, service_type `jira`,
// docs/sources/jira.md): projects, issues with their fields and comments, and
// their attachments from Jira Cloud or Server; archived projects and issues
// are left out. JQL advanced rules, and document-level security from project
// permissions, project roles and issue security levels.
#pragma once

#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor jira_descriptor();

}  // namespace connectors::sources
