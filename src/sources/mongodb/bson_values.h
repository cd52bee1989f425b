// BSON documents as the Python framework sends them to Elasticsearch: what
// pymongo decodes, then MongoDataSource.serialize (@8.8, with HEAD's additions
// for DatetimeMS, DBRef and UUID binaries), then the Elasticsearch client's
// JSON encoder — but without its losses: Decimal128 keeps its exact digits and
// binaries their bytes (the SQL sources' rules, sql/values.h). Where Python
// would fail (bytes, Regex, Timestamp, MinKey are not JSON-serialisable there)
// we choose a value; docs/sources/mongodb.md lists each choice. Pure functions
// over libbson's types.
#pragma once

#include <bson/bson.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/errors.h"

namespace connectors::sources::mongodb {

// The `datetime_conversion` option (pymongo's DatetimeConversion, HEAD).
enum class DateConversion {
  kDatetime,  // DATETIME: every date a datetime; one outside years 1..9999 fails the sync
  kClamp,     // DATETIME_CLAMP: out-of-range dates clamped to 0001-01-01 / 9999-12-31T23:59:59.999
  kAuto,      // DATETIME_AUTO: out-of-range dates as epoch milliseconds, the others as datetimes
  kMs,        // DATETIME_MS: every date as epoch milliseconds
};

// "DATETIME", "DATETIME_CLAMP", ... -> the option; nullopt when unknown.
std::optional<DateConversion> parse_date_conversion(std::string_view name);

// datetime.isoformat() of the naive UTC datetime pymongo makes of `millis`
// ("2023-05-10T12:00:00", "2023-05-10T12:00:00.123000"); nullopt outside
// Python's datetime range (years 1 to 9999).
std::optional<std::string> python_isoformat_millis(int64_t millis);

// The proleptic Gregorian year of `millis` since the epoch (any int64).
int64_t year_of_millis(int64_t millis);

// A date that DATETIME cannot represent, found at `path` ("a.b.0.c").
class DateOutOfRange : public SourceError {
 public:
  DateOutOfRange(std::string path, int64_t millis);
  const std::string& path() const { return path_; }
  int64_t millis() const { return millis_; }

 private:
  std::string path_;
  int64_t millis_;
};

// The values a conversion could not send as they are, reported to the job.
struct ConversionNotes {
  struct Note {
    long long count = 0;
    std::string first_path;  // "a.b.0.c"
    std::string first_id;    // the document's _id
    void add(const std::string& path, const std::string& id);
  };
  Note legacy_uuids;  // binary subtype 3: sent as null, as HEAD does
  Note not_finite;    // NaN, ±Infinity (double, Decimal128): sent as null
  Note not_utf8;      // strings that are not UTF-8: sent as base64
  std::string id;     // the _id of the document being converted
};

// The value under `iter` as JSON. Throws DateOutOfRange (kDatetime only).
nlohmann::json bson_value_to_json(const bson_iter_t& iter, DateConversion dates,
                                  const std::string& path, ConversionNotes& notes);

// Every field of `doc` as a JSON object.
nlohmann::json bson_to_json(const bson_t& doc, DateConversion dates, const std::string& path,
                            ConversionNotes& notes);

// The Elasticsearch `_id` of a document's serialised `_id`: a string as is
// (an ObjectId is already its 24 hex digits), anything else its compact JSON
// ("5", "1.5", "{\"a\":1}"). Throws SourceError for null.
std::string document_id(const nlohmann::json& id);

struct Converted {
  std::string id;
  nlohmann::json fields;  // every field but _id
};

// One document of a collection or of a pipeline. Throws SourceError without
// `_id`, and for an out-of-range date under DATETIME (naming `_id` and field).
Converted convert_document(const bson_t& doc, DateConversion dates, ConversionNotes& notes);

// An owned bson_t* (bson_t's alignment attribute rules out std::unique_ptr<bson_t>).
class BsonPtr {
 public:
  BsonPtr() = default;
  explicit BsonPtr(bson_t* doc) : doc_(doc) {}
  BsonPtr(BsonPtr&& other) noexcept : doc_(std::exchange(other.doc_, nullptr)) {}
  BsonPtr& operator=(BsonPtr&& other) noexcept {
    std::swap(doc_, other.doc_);
    return *this;
  }
  ~BsonPtr() {
    if (doc_) bson_destroy(doc_);
  }
  const bson_t* get() const { return doc_; }

 private:
  bson_t* doc_ = nullptr;
};

// Canonical or relaxed extended JSON ({"$oid": ...}, {"$date": ...}) to BSON;
// throws ConfigError(key, "<what> is not valid extended JSON: <libbson's message>").
BsonPtr bson_from_json(const nlohmann::json& value, const std::string& key,
                       const std::string& what);

}  // namespace connectors::sources::mongodb
