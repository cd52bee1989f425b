// The framework's documents of Confluence objects (connectors/sources/
// confluence.py@8.8) and the successor's access-control lists for them.
// Pure functions of the REST answers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sources/source.h"

namespace connectors::sources::confluence {

using nlohmann::json;

// `site` is the base every `_links.webui` is below (".../wiki" on Cloud).

// {type: "Space", title, url}; no `_timestamp` (the framework's was "now", so
// every space was indexed again each sync): the content hash decides.
Document space_document(const json& space, const std::string& site);

// {type: "page"|"blogpost", title, space, body, url}, `_timestamp` history.lastUpdated.when.
Document content_document(const json& content, const std::string& site);

// {type: "attachment", title, space, <parent type>: parent title, size, url},
// `_timestamp` version.when. The content reference is the caller's.
Document attachment_document(const json& attachment, const json& parent, const std::string& site);

// The identities with read access to a space: the users and groups of its
// `permissions` whose operation is read on the space.
std::vector<std::string> space_readers(const json& space, bool cloud);

// A page's or blog post's read restrictions (`restrictions.read.restrictions`),
// empty when it has none.
std::vector<std::string> content_readers(const json& content, bool cloud);

// The CQL of the configured spaces and one content type: `type=page`, or
// `space in ("A","B") AND type=page`.
std::string content_cql(const std::vector<std::string>& spaces, const std::string& type);

}  // namespace connectors::sources::confluence
