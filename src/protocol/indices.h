// The connector protocol's two system indices: names, mappings (as the
// protocol documents them, with the fields later Elasticsearch templates
// added) and their creation when missing. Only protocol/ uses these names.
#pragma once

#include <string>
#include <vector>

#include "es/client.h"

namespace connectors::protocol {

inline constexpr const char* kConnectorsIndex = ".elastic-connectors";
inline constexpr const char* kConnectorsConcrete = ".elastic-connectors-v1";
inline constexpr const char* kJobsIndex = ".elastic-connectors-sync-jobs";
inline constexpr const char* kJobsConcrete = ".elastic-connectors-sync-jobs-v1";

es::json connectors_mappings();
es::json jobs_mappings();

// Creates `.elastic-connectors-v1` and `.elastic-connectors-sync-jobs-v1`
// with their mappings and aliases unless the aliases (or indices of those
// names) exist — never touching what exists. Safe with several instances.
void ensure_system_indices(es::Client& client);

// The fields the service queries that a system index does not map (indices
// made by Kibana or the Python framework 8.x may lack some, e.g. job_type),
// each as "index: field (what the service does instead)". Logged as warnings
// by check_system_indices; never changes a mapping.
std::vector<std::string> missing_system_fields(const es::json& connectors_mapping, const es::json& jobs_mapping);
void check_system_indices(es::Client& client);

}  // namespace connectors::protocol
