// The interface every content source implements, and what it produces. A
// Source is created per sync job from the connector's configuration, used by
// one thread (the job's producer), then destroyed. It never talks to
// Elasticsearch: it hands documents to a DocumentSink, which blocks while the
// engine is saturated (back-pressure) and throws Cancelled when the job stops.
#pragma once

#include <filesystem>
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
  // Set when the content is a file of this machine (the dir source): local
  // extraction hands this path to the extractor workers instead of fetching
  // a copy. Every other mode still goes through `fetch`.
  std::filesystem::path local_file = {};

  explicit operator bool() const { return static_cast<bool>(fetch); }
};

struct Document {
  std::string id;         // becomes _id and the `id` field
  nlohmann::json fields;  // every other field of the document
  std::string timestamp;  // ISO-8601 `_timestamp`; empty = none (a content hash decides)
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

// Optional capabilities of a source. A source declares the ones it has in its
// SourceDescriptor (`capabilities`, which the connector's `features` reflect)
// and returns them from the Source accessors below; the engine asks for them
// and never casts.

// What the framework's advanced-rules validator answers:
// SyncRuleValidationResult(rule_id="advanced_snippet", is_valid, validation_message).
struct RulesValidation {
  bool valid = true;
  std::string message;
};

// Advanced sync rules: the connector's filtering `advanced_snippet.value`,
// handed to the source before documents().
class AdvancedRules {
 public:
  virtual ~AdvancedRules() = default;
  // Throws ConfigError (key "advanced_snippet") when the value is malformed.
  virtual void set_advanced_rules(const nlohmann::json& value) = 0;
  // The source's validator (it may ask its server). Throws SourceError when
  // the server cannot be reached.
  virtual RulesValidation validate_advanced_rules(const nlohmann::json& value,
                                                  std::stop_token stop) = 0;
};

// filtering.has_advanced_rules(): the value is present and not empty.
bool has_advanced_rules(const nlohmann::json& value);

// Where an incremental sync's changes go: new and changed documents to
// documents() (each replaces the indexed one), deleted ids to remove().
class ChangeSink {
 public:
  virtual ~ChangeSink() = default;
  virtual DocumentSink& documents() = 0;
  // Blocks while the sync's queue is full; throws Cancelled.
  virtual void remove(std::string id) = 0;
};

// Incremental sync, as the framework's get_docs_incrementally: the source
// yields what changed since the connector's `sync_cursor`, and nothing is
// deleted that it does not name. documents() (a full sync) sets the cursor
// too, so that the next incremental sync starts from it.
class IncrementalSync {
 public:
  virtual ~IncrementalSync() = default;
  // Streams the changes since `cursor` (null: none saved yet — a source that
  // cannot start without one throws SourceError saying to run a full sync).
  // Returns only when complete; throws on failure, like documents().
  virtual void changes(const nlohmann::json& cursor, ChangeSink& sink, std::stop_token stop) = 0;
  // The cursor after the last documents() or changes(); saved to the
  // connector only after a completed content job.
  virtual nlohmann::json sync_cursor() const = 0;
};

// Document-level security, as the framework's DLS: identity documents for
// the `.search-acl-filter-<index>` index, and `_allow_access_control` on the
// content documents while it is enabled.
class AccessControl {
 public:
  virtual ~AccessControl() = default;
  // The connector's features.document_level_security.enabled, before any sync.
  virtual void enable_document_level_security(bool enabled) = 0;
  // Streams every identity document (`identity`, `query.template`,
  // `created_at`). Complete or throws, like documents().
  virtual void access_control_documents(DocumentSink& sink, std::stop_token stop) = 0;
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

  // The capabilities this source has (nullptr: none), owned by the source;
  // exactly those its descriptor declares.
  virtual AdvancedRules* advanced_rules() { return nullptr; }
  virtual IncrementalSync* incremental() { return nullptr; }
  virtual AccessControl* access_control() { return nullptr; }
};

// What a source type can do, known without building one: the connector's
// `features` are written from it.
struct Capabilities {
  bool advanced_rules = false;  // features.sync_rules.advanced
  bool incremental = false;     // features.incremental_sync
  bool access_control = false;  // features.document_level_security
};

// A source that runs advanced sync rules (the AdvancedRules capability). The
// engine hands it the connector's rules before documents(); without them (or
// with an empty value) documents() syncs what its configuration names.
class AdvancedRulesSource : public Source, public AdvancedRules {
 public:
  AdvancedRules* advanced_rules() final { return this; }
};

struct SourceDescriptor {
  std::string service_type;  // exactly the Python framework's
  std::string name;
  std::function<Schema()> schema;
  // Validates the configuration (throws ConfigError naming the field) and builds the source.
  std::function<std::unique_ptr<Source>(const Configuration&)> create;
  Capabilities capabilities{};
};

}  // namespace connectors::sources
