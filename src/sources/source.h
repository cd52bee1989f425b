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
#include <string_view>

#include "sources/configuration.h"

namespace connectors::sources {

// Where a source writes a document's content while it reads it (ContentRef::fetch).
class ContentSink {
 public:
  virtual ~ContentSink() = default;
  // Takes the next bytes. Returns false once the content is over its limit:
  // the source stops reading, and the document is indexed without content.
  virtual bool write(std::string_view bytes) = 0;
};

// A document's content, read only if the engine indexes the document (the
// framework's lazy_download): new or changed, of a type the engine extracts,
// within the size limits. Listing stays cheap, and a resync of unchanged
// documents reads no content at all.
struct ContentRef {
  std::string name;         // names the content in logs and warnings (a path, a key)
  std::string extension;    // lower-cased with its dot (".txt"), or ""
  long long size = -1;      // bytes as listed; -1 = unknown
  long long max_size = -1;  // the source's own limit from its configuration; -1 = none
  // Streams the content into `sink` in chunks until the end, or until
  // sink.write returns false; reading max_bytes + 1 bytes is enough to show
  // it is over the limit. Throws (SourceError naming the content) when it
  // cannot be read, Cancelled on `stop`. Runs on one of concurrent_downloads
  // worker threads: it must not touch the source's enumeration state.
  std::function<void(ContentSink& sink, long long max_bytes, std::stop_token stop)> fetch;

  explicit operator bool() const { return static_cast<bool>(fetch); }
};

struct Document {
  std::string id;            // becomes _id and the `id` field
  nlohmann::json fields;     // every other field of the document
  std::string timestamp;     // ISO-8601 `_timestamp`; empty = none (a content hash decides)
  // Empty = the fields are the whole document. The version that change
  // detection compares never includes the content: a source with content
  // gives a timestamp, or fields that change when the content does.
  ContentRef content = {};
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
