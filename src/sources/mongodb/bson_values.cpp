#include "sources/mongodb/bson_values.h"

#include <fmt/format.h>

#include <cmath>

#include "sources/common/python_text.h"

namespace connectors::sources::mongodb {
namespace {

using json = nlohmann::json;

// datetime(1, 1, 1) and datetime(9999, 12, 31, 23, 59, 59, 999000) as epoch
// milliseconds: pymongo's _MIN_UTC_MS and _MAX_UTC_MS, the clamp bounds.
constexpr int64_t kMinMillis = -62135596800000LL;
constexpr int64_t kMaxMillis = 253402300799999LL;
constexpr int64_t kMillisPerDay = 86400000LL;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Civil {
  int64_t year;
  unsigned month, day;
};

// Howard Hinnant's days_from_civil inverse, in 64 bits.
Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

std::string text(const char* data, size_t length) {
  std::string_view bytes(data, length);
  if (bson_utf8_validate(data, length, true)) return std::string(bytes);
  return common::decode_utf8_ignore(bytes);  // pymongo would fail: keep what is readable
}

std::string hex_oid(const bson_oid_t* oid) {
  char out[25];
  bson_oid_to_string(oid, out);
  return out;
}

std::string uuid_text(const uint8_t* b) {
  return fmt::format(
      "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:"
      "02x}"
      "{:02x}",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
      b[15]);
}

json date_value(int64_t millis, DateConversion dates, const std::string& path) {
  if (dates == DateConversion::kMs) return millis;
  auto iso = python_isoformat_millis(millis);
  if (iso) return *iso;
  switch (dates) {
    case DateConversion::kClamp:
      return *python_isoformat_millis(millis < kMinMillis ? kMinMillis : kMaxMillis);
    case DateConversion::kAuto:
      return millis;
    default:
      throw DateOutOfRange(path, millis);
  }
}

// A string value: its text, or base64 when it is not UTF-8 (pymongo would fail).
json string_value(const char* data, size_t length, const std::string& path,
                  ConversionNotes& notes) {
  if (bson_utf8_validate(data, length, true)) return std::string(data, length);
  notes.not_utf8.add(path, notes.id);
  return common::base64(std::string_view(data, length));
}

json binary_value(const bson_iter_t& iter, const std::string& path, ConversionNotes& notes) {
  bson_subtype_t subtype;
  uint32_t length = 0;
  const uint8_t* data = nullptr;
  bson_iter_binary(&iter, &subtype, &length, &data);
  if (subtype == BSON_SUBTYPE_UUID && length == 16) return uuid_text(data);
  if (subtype == BSON_SUBTYPE_UUID_DEPRECATED) {
    notes.legacy_uuids.add(path, notes.id);
    return nullptr;
  }
  return common::bytes_json(
      std::string_view(reinterpret_cast<const char*>(data), static_cast<size_t>(length)));
}

json decimal_value(const bson_iter_t& iter, const std::string& path, ConversionNotes& notes) {
  bson_decimal128_t value;
  bson_iter_decimal128(&iter, &value);
  char buffer[BSON_DECIMAL128_STRING];
  bson_decimal128_to_string(&value, buffer);
  common::Loss loss = common::Loss::kNone;
  json out = common::decimal_json(buffer, &loss);
  if (loss != common::Loss::kNone) notes.not_finite.add(path, notes.id);
  return out;
}

std::string child_path(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

}  // namespace

void ConversionNotes::Note::add(const std::string& path, const std::string& id) {
  if (count++ == 0) {
    first_path = path;
    first_id = id;
  }
}

std::optional<DateConversion> parse_date_conversion(std::string_view name) {
  if (name == "DATETIME") return DateConversion::kDatetime;
  if (name == "DATETIME_CLAMP") return DateConversion::kClamp;
  if (name == "DATETIME_AUTO") return DateConversion::kAuto;
  if (name == "DATETIME_MS") return DateConversion::kMs;
  return std::nullopt;
}

int64_t year_of_millis(int64_t millis) {
  return civil_from_days(floor_div(millis, kMillisPerDay)).year;
}

std::optional<std::string> python_isoformat_millis(int64_t millis) {
  if (millis < kMinMillis || millis > kMaxMillis) return std::nullopt;
  int64_t days = floor_div(millis, kMillisPerDay);
  int64_t in_day = millis - days * kMillisPerDay;
  Civil c = civil_from_days(days);
  auto seconds = in_day / 1000;
  auto ms = in_day % 1000;
  std::string out = fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", c.year, c.month, c.day,
                                seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (ms != 0) out += fmt::format(".{:03d}000", ms);
  return out;
}

DateOutOfRange::DateOutOfRange(std::string path, int64_t millis)
    : SourceError(fmt::format("field '{}' holds a date outside Python's datetime (year {} is out "
                              "of range; {} ms since the epoch)",
                              path, year_of_millis(millis), millis)),
      path_(std::move(path)),
      millis_(millis) {}

json bson_value_to_json(const bson_iter_t& iter, DateConversion dates, const std::string& path,
                        ConversionNotes& notes) {
  switch (bson_iter_type(&iter)) {
    case BSON_TYPE_DOUBLE: {
      double d = bson_iter_double(&iter);
      if (std::isfinite(d)) return d;
      notes.not_finite.add(path, notes.id);
      return nullptr;
    }
    case BSON_TYPE_UTF8:
    case BSON_TYPE_SYMBOL:  // pymongo: str
    case BSON_TYPE_CODE: {  // pymongo: Code, a str
      uint32_t length = 0;
      const char* s = bson_iter_type(&iter) == BSON_TYPE_SYMBOL ? bson_iter_symbol(&iter, &length)
                      : bson_iter_type(&iter) == BSON_TYPE_CODE ? bson_iter_code(&iter, &length)
                                                                : bson_iter_utf8(&iter, &length);
      return string_value(s, length, path, notes);
    }
    case BSON_TYPE_CODEWSCOPE: {
      uint32_t length = 0, scope_length = 0;
      const uint8_t* scope = nullptr;
      const char* code = bson_iter_codewscope(&iter, &length, &scope_length, &scope);
      return string_value(code, length, path, notes);
    }
    case BSON_TYPE_DOCUMENT:
    case BSON_TYPE_ARRAY: {
      bool array = bson_iter_type(&iter) == BSON_TYPE_ARRAY;
      bson_iter_t child;
      json out = array ? json::array() : json::object();
      if (!bson_iter_recurse(&iter, &child)) return out;
      while (bson_iter_next(&child)) {
        const char* key = bson_iter_key(&child);
        json value = bson_value_to_json(child, dates, child_path(path, key), notes);
        if (array) {
          out.push_back(std::move(value));
        } else {
          out[text(key, std::char_traits<char>::length(key))] = std::move(value);
        }
      }
      return out;
    }
    case BSON_TYPE_BINARY:
      return binary_value(iter, path, notes);
    case BSON_TYPE_OID:
      return hex_oid(bson_iter_oid(&iter));
    case BSON_TYPE_BOOL:
      return bson_iter_bool(&iter);
    case BSON_TYPE_DATE_TIME:
      return date_value(bson_iter_date_time(&iter), dates, path);
    case BSON_TYPE_INT32:
      return bson_iter_int32(&iter);
    case BSON_TYPE_INT64:
      return bson_iter_int64(&iter);
    case BSON_TYPE_DECIMAL128:
      return decimal_value(iter, path, notes);
    case BSON_TYPE_TIMESTAMP: {
      uint32_t t = 0, i = 0;
      bson_iter_timestamp(&iter, &t, &i);
      return {{"t", t}, {"i", i}};
    }
    case BSON_TYPE_REGEX: {
      const char* options = nullptr;
      const char* pattern = bson_iter_regex(&iter, &options);
      return "/" + text(pattern, std::char_traits<char>::length(pattern)) + "/" +
             (options ? options : "");
    }
    case BSON_TYPE_DBPOINTER: {  // pymongo: DBRef, which HEAD sends as a dict
      uint32_t length = 0;
      const char* collection = nullptr;
      const bson_oid_t* oid = nullptr;
      bson_iter_dbpointer(&iter, &length, &collection, &oid);
      return {{"$ref", text(collection, length)}, {"$id", hex_oid(oid)}};
    }
    case BSON_TYPE_MINKEY:
      return {{"$minKey", 1}};
    case BSON_TYPE_MAXKEY:
      return {{"$maxKey", 1}};
    case BSON_TYPE_UNDEFINED:
    case BSON_TYPE_NULL:
    default:
      return nullptr;
  }
}

json bson_to_json(const bson_t& doc, DateConversion dates, const std::string& path,
                  ConversionNotes& notes) {
  json out = json::object();
  bson_iter_t iter;
  if (!bson_iter_init(&iter, &doc)) throw SourceError("mongodb: a document is not valid BSON");
  while (bson_iter_next(&iter)) {
    const char* key = bson_iter_key(&iter);
    out[text(key, std::char_traits<char>::length(key))] =
        bson_value_to_json(iter, dates, child_path(path, key), notes);
  }
  return out;
}

std::string document_id(const json& id) {
  if (id.is_string()) return id.get<std::string>();
  if (id.is_null()) throw SourceError("mongodb: a document has a null _id");
  return id.dump();
}

Converted convert_document(const bson_t& doc, DateConversion dates, ConversionNotes& notes) {
  bson_iter_t iter;
  if (!bson_iter_init_find(&iter, &doc, "_id")) {
    throw SourceError(
        "mongodb: a document has no _id (a projection or pipeline stage removed it): every "
        "document needs one to be indexed");
  }
  Converted out;
  try {
    // The id under DATETIME_MS when it is a date outside Python's range.
    notes.id.clear();
    out.id = document_id(bson_value_to_json(
        iter, dates == DateConversion::kDatetime ? DateConversion::kAuto : dates, "_id", notes));
    notes.id = out.id;
    out.fields = bson_to_json(doc, dates, "", notes);
  } catch (const DateOutOfRange& e) {
    throw SourceError(
        fmt::format("mongodb: document {}: {}. Choose another 'Out-of-range date handling' "
                    "(datetime_conversion): DATETIME_CLAMP, DATETIME_AUTO or DATETIME_MS",
                    out.id, e.what()));
  }
  out.fields.erase("_id");
  return out;
}

BsonPtr bson_from_json(const json& value, const std::string& key, const std::string& what) {
  std::string text = value.dump();
  bson_error_t error;
  bson_t* doc = bson_new_from_json(reinterpret_cast<const uint8_t*>(text.data()),
                                   static_cast<ssize_t>(text.size()), &error);
  if (doc == nullptr) {
    throw ConfigError(key, what + " is not valid extended JSON: " + error.message);
  }
  return BsonPtr(doc);
}

}  // namespace connectors::sources::mongodb
