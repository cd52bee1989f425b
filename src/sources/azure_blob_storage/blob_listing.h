// The XML answers of the Blob service the source reads: List Containers and
// List Blobs pages (EnumerationResults, with NextMarker) and error bodies
// (<Error><Code>…). Parsed with libxml2; pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace connectors::sources::azure {

// User metadata in the order the service lists it (x-ms-meta-* names).
using Metadata = std::vector<std::pair<std::string, std::string>>;

struct ContainerItem {
  std::string name;
  // nullopt when the listing has no <Metadata> element: the SDK's
  // container.metadata is then None.
  std::optional<Metadata> metadata;
};

struct BlobItem {
  std::string name;
  std::string creation_time;  // RFC 1123 as listed, "" when absent
  std::string last_modified;
  long long size = 0;  // Content-Length
  std::optional<std::string> content_type;
  std::optional<std::string> access_tier;  // Hot, Cool, Cold, Archive
  std::optional<std::string> lease_status;
  std::optional<std::string> lease_state;
  std::optional<std::string> lease_duration;
  Metadata metadata;
};

template <typename Item>
struct ListPage {
  std::vector<Item> items;
  std::string next_marker;  // "" after the last page
};

// Throw std::runtime_error when `xml` is not an EnumerationResults document.
ListPage<ContainerItem> parse_container_list(std::string_view xml);
ListPage<BlobItem> parse_blob_list(std::string_view xml);

// The <Code> of an error body ("AuthenticationFailed"), or "" when there is none.
std::string error_code(std::string_view xml);

}  // namespace connectors::sources::azure
