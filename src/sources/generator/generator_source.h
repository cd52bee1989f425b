// The generator source (service_type "generator"): N deterministic documents
// of a given size, for tests and benchmarks. A later "generation" changes and
// deletes given fractions of them, chosen by hash so runs are reproducible.
// It has every optional capability, so that the engine's incremental and
// access-control paths are tested without a server: its sync cursor is the
// settings it last produced, from which an incremental sync yields exactly
// the documents that differ; with document-level security, a few identity
// documents and `_allow_access_control` on the content. Not part of the
// Python framework.
#pragma once

#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor generator_descriptor();

// The document with index `i` for a configuration, or nullopt if it is deleted
// in that generation. Exposed for tests and for bench/ to build the same NDJSON.
struct GeneratorSettings {
  long long documents = 1000;
  long long document_size = 1024;
  double changed_fraction = 0;
  double deleted_fraction = 0;
  long long generation = 0;
  long long fail_after = -1;  // throw a SourceError after this many documents
  long long delay_us = 0;     // sleep per document (slow-source tests)
  long long identities = 3;   // users of the access-control documents
  bool use_document_level_security = false;
};

std::optional<Document> generate_document(const GeneratorSettings& settings, long long i);

// The identity document of user `k`, in the framework's access-control shape.
Document generate_identity(long long k);

}  // namespace connectors::sources
