// The interface every content source implements, and what it produces. A
// Source is created per sync job from the connector's configuration, used by
// one thread (the job's producer), then destroyed. It never talks to
// Elasticsearch: it hands documents to a DocumentSink, which blocks while the
// engine is saturated (back-pressure) and throws Cancelled when the job stops.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>

#include "sources/configuration.h"

namespace connectors::sources {

struct Document {
  std::string id;            // becomes _id and the `id` field
  nlohmann::json fields;     // every other field of the document
  std::string timestamp;     // ISO-8601 `_timestamp`; empty = none (a content hash decides)
};

class DocumentSink {
 public:
  virtual ~DocumentSink() = default;
  // Takes the document. Blocks while the sync's queue is full; throws Cancelled.
  virtual void emit(Document document) = 0;
  // Reports what the source could not index and left out (a table without a
  // primary key, a value it could not convert): the job shows these to the
  // user, so that nothing is lost silently. One line each, naming the table,
  // document or field.
  virtual void warn(std::string message) = 0;
};

class Source {
 public:
  virtual ~Source() = default;

  // Throws SourceError (naming what failed) when the source cannot be reached.
  virtual void ping(std::stop_token stop) = 0;

  // Streams every document to `sink`. Returns only when the enumeration is
  // complete; any failure part-way must throw (SourceError), so that the engine
  // knows the enumeration is partial and deletes nothing.
  virtual void documents(DocumentSink& sink, std::stop_token stop) = 0;
};

struct SourceDescriptor {
  std::string service_type;  // exactly the Python framework's
  std::string name;
  std::function<Schema()> schema;
  // Validates the configuration (throws ConfigError naming the field) and builds the source.
  std::function<std::unique_ptr<Source>(const Configuration&)> create;
  // Advanced sync rules (the filtering's advanced_snippet): the connector's
  // features.sync_rules.advanced.enabled.
  bool advanced_rules = false;
};

}  // namespace connectors::sources
