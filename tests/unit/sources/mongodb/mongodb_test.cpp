// name: MongoDB source without a server
// description: the configuration fields as sources.md §3 lists them (@8.8 and
// HEAD's), every BSON type serialised as the framework sends it (or as
// docs/sources/mongodb.md says where Python cannot), dates under each
// datetime_conversion option, advanced rules validation, URI redaction.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "sources/mongodb/bson_values.h"
#include "sources/mongodb/mongo_connection.h"
#include "sources/mongodb/mongo_rules.h"
#include "sources/mongodb/mongodb_source.h"
#include "sources/registry.h"

namespace connectors::sources {
namespace {

using json = nlohmann::json;
using mongodb::DateConversion;

TEST(MongodbSchema, PublishesTheFrameworksFields) {
  struct Expected {
    const char* key;
    const char* label;
    const char* type;
    const char* display;
    json value;
    bool required;
    bool sensitive;
    json depends_on;
    json ui_restrictions;
    bool tooltip;
  };
  const json none = json::array();
  const json advanced = json::array({"advanced"});
  const json needs_ssl = json::parse(R"([{"field": "ssl_enabled", "value": true}])");
  const std::vector<Expected> expected = {
      {"host", "Server hostname", "str", "text", "", true, false, none, none, false},
      {"user", "Username", "str", "text", "", false, false, none, none, false},
      {"password", "Password", "str", "text", "", false, true, none, none, false},
      {"database", "Database", "str", "text", "", true, false, none, none, false},
      {"collection", "Collection", "str", "text", "", true, false, none, none, false},
      {"direct_connection", "Direct connection", "bool", "toggle", false, true, false, none, none,
       false},
      {"ssl_enabled", "SSL/TLS Connection", "bool", "toggle", false, true, false, none, none, true},
      {"ssl_ca", "Certificate Authority (.pem)", "str", "text", "", false, false, needs_ssl, none,
       true},
      {"tls_insecure", "Skip certificate verification", "bool", "toggle", false, true, false,
       needs_ssl, advanced, true},
      {"datetime_conversion", "Out-of-range date handling", "str", "dropdown", "DATETIME", true,
       false, none, advanced, true},
  };
  json published = schema_to_json(mongodb_schema());
  ASSERT_EQ(published.size(), expected.size());
  int order = 0;
  for (const auto& e : expected) {
    SCOPED_TRACE(e.key);
    ASSERT_TRUE(published.contains(e.key));
    const json& f = published[e.key];
    EXPECT_EQ(f["label"], e.label);
    EXPECT_EQ(f["type"], e.type);
    EXPECT_EQ(f["display"], e.display);
    EXPECT_EQ(f["value"], e.value);
    EXPECT_EQ(f["required"], e.required);
    EXPECT_EQ(f["sensitive"], e.sensitive);
    EXPECT_EQ(f["order"], ++order);
    EXPECT_EQ(f["depends_on"], e.depends_on);
    EXPECT_EQ(f["ui_restrictions"], e.ui_restrictions);
    EXPECT_EQ(f["default_value"], nullptr);
    EXPECT_EQ(f["validations"], json::array());
    EXPECT_EQ(f["tooltip"].is_string(), e.tooltip);
  }
  EXPECT_TRUE(published["ssl_enabled"]["tooltip"].get<std::string>().ends_with(
      "Enable if MongoDB cluster uses DNS SRV records."));
  EXPECT_EQ(published["datetime_conversion"]["options"], json::parse(R"j([
    {"label": "Raise an error (legacy)", "value": "DATETIME"},
    {"label": "Clamp to the min/max date", "value": "DATETIME_CLAMP"},
    {"label": "Out-of-range dates as epoch milliseconds", "value": "DATETIME_AUTO"},
    {"label": "All dates as epoch milliseconds", "value": "DATETIME_MS"}])j"));
}

std::string rejected(const json& values) {
  try {
    make_source("mongodb", values);
  } catch (const ConfigError& e) {
    return std::string(e.key()) + " | " + e.what();
  }
  return "";
}

const json kGood = {{"host", "mongodb://127.0.0.1:27021"}, {"database", "db"}, {"collection", "c"}};

json with(json overrides) {
  json v = kGood;
  v.update(overrides);
  return v;
}

TEST(MongodbConfig, ValidatesWithoutConnecting) {
  EXPECT_EQ(rejected(kGood), "");
  auto source = make_source("mongodb", kGood);
  EXPECT_NE(source->advanced_rules(), nullptr);
  EXPECT_TRUE(rejected(with({{"host", ""}})).starts_with("host |"));
  EXPECT_TRUE(rejected(with({{"database", ""}})).starts_with("database |"));
  EXPECT_TRUE(rejected(with({{"collection", ""}})).starts_with("collection |"));
  std::string bad_uri = rejected(with({{"host", "http://admin:Sekr3t@x"}}));
  EXPECT_TRUE(bad_uri.starts_with("host |")) << bad_uri;
  EXPECT_EQ(bad_uri.find("Sekr3t"), std::string::npos) << bad_uri;
  EXPECT_TRUE(
      rejected(with({{"datetime_conversion", "NOPE"}})).starts_with("datetime_conversion |"));
  EXPECT_EQ(rejected(with({{"datetime_conversion", "DATETIME_AUTO"}})), "");
  EXPECT_EQ(rejected(with({{"ssl_enabled", true}})), "") << "the CA is optional";
}

TEST(MongodbConfig, TlsInTheHostMustAgreeWithSslEnabled) {
  EXPECT_EQ(mongodb::tls_conflict("mongodb://h/?tls=true", true), "");
  EXPECT_EQ(mongodb::tls_conflict("mongodb://h/?ssl=false", false), "");
  EXPECT_EQ(mongodb::tls_conflict("mongodb://h/db", true), "");
  EXPECT_NE(mongodb::tls_conflict("mongodb://h/?ssl=true", false), "");
  EXPECT_NE(mongodb::tls_conflict("mongodb://h/?directConnection=true&TLS=False", true), "");
  std::string problem =
      rejected(with({{"host", "mongodb://127.0.0.1/?tls=false"}, {"ssl_enabled", true}}));
  EXPECT_TRUE(problem.starts_with("host |")) << problem;
  EXPECT_NE(problem.find("ssl_enabled"), std::string::npos) << problem;
}

TEST(MongodbConnection, UrisAreRedacted) {
  EXPECT_EQ(mongodb::redact_uris("mongodb://admin:justtesting@127.0.0.1:27021/?tls=true"),
            "mongodb://admin:***@127.0.0.1:27021/?tls=true");
  EXPECT_EQ(mongodb::redact_uris("failed on mongodb+srv://u:p%40ss@cluster.example.net: boom"),
            "failed on mongodb+srv://u:***@cluster.example.net: boom");
  EXPECT_EQ(mongodb::redact_uris("mongodb://user@h/ and mongodb://h:1"),
            "mongodb://user@h/ and mongodb://h:1");
  EXPECT_EQ(mongodb::redact_uris("a mongodb://a:b@h1,h2/x b mongodb://c:d@h3"),
            "a mongodb://a:***@h1,h2/x b mongodb://c:***@h3");
}

// The document of a relaxed/canonical extended JSON text.
mongodb::BsonPtr doc(const std::string& text) {
  return mongodb::bson_from_json(json::parse(text), "test", "test");
}

json fields(const std::string& text, DateConversion dates = DateConversion::kDatetime) {
  mongodb::ConversionNotes notes;
  return mongodb::bson_to_json(*doc(text).get(), dates, "", notes);
}

TEST(MongodbValues, EveryBsonTypeAsTheFrameworkSendsIt) {
  mongodb::ConversionNotes notes;
  auto d = doc(R"j({
    "oid": {"$oid": "64a1b2c3d4e5f60718293a4b"},
    "nested": {"a": [{"$oid": "000000000000000000000001"}, {"b": {"$oid": "ffffffffffffffffffffffff"}}]},
    "i32": 7, "i64": {"$numberLong": "9007199254740993"}, "dbl": 1.5, "whole": 2.0,
    "nan": {"$numberDouble": "NaN"}, "inf": {"$numberDouble": "-Infinity"},
    "str": "héllo", "t": true, "n": null, "undef": {"$undefined": true},
    "dec": {"$numberDecimal": "1234.5600"}, "dec_exp": {"$numberDecimal": "1.5E+3"},
    "dec_nan": {"$numberDecimal": "NaN"},
    "bytes": {"$binary": {"base64": "aGk=", "subType": "00"}},
    "bad_utf8": {"$binary": {"base64": "/2E=", "subType": "00"}},
    "uuid": {"$binary": {"base64": "oO68mZwLTvi7bWu5vTgKEQ==", "subType": "04"}},
    "legacy_uuid": {"$binary": {"base64": "oO68mZwLTvi7bWu5vTgKEQ==", "subType": "03"}},
    "re": {"$regularExpression": {"pattern": "^a.*", "options": "i"}},
    "ts": {"$timestamp": {"t": 1700000000, "i": 3}},
    "code": {"$code": "function() {}"},
    "scoped": {"$code": "f()", "$scope": {"x": 1}},
    "sym": {"$symbol": "abc"},
    "ptr": {"$dbPointer": {"$ref": "coll", "$id": {"$oid": "64a1b2c3d4e5f60718293a4b"}}},
    "ref": {"$ref": "coll", "$id": {"$oid": "64a1b2c3d4e5f60718293a4b"}, "$db": "other"},
    "min": {"$minKey": 1}, "max": {"$maxKey": 1},
    "date": {"$date": "2023-05-10T12:00:00Z"}, "date_ms": {"$date": "2023-05-10T12:00:00.123Z"},
    "empty": {}, "list": []
  })j");
  json out = mongodb::bson_to_json(*d.get(), DateConversion::kDatetime, "", notes);
  json expected = json::parse(R"j({
    "oid": "64a1b2c3d4e5f60718293a4b",
    "nested": {"a": ["000000000000000000000001", {"b": "ffffffffffffffffffffffff"}]},
    "i32": 7, "i64": 9007199254740993, "dbl": 1.5, "whole": 2.0, "nan": null, "inf": null,
    "str": "héllo", "t": true, "n": null, "undef": null,
    "dec": 1234.56, "dec_exp": 1500.0, "dec_nan": null,
    "bytes": "hi", "bad_utf8": "/2E=",
    "uuid": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "legacy_uuid": null,
    "re": "/^a.*/i", "ts": {"t": 1700000000, "i": 3},
    "code": "function() {}", "scoped": "f()", "sym": "abc",
    "ptr": {"$ref": "coll", "$id": "64a1b2c3d4e5f60718293a4b"},
    "ref": {"$ref": "coll", "$id": "64a1b2c3d4e5f60718293a4b", "$db": "other"},
    "min": {"$minKey": 1}, "max": {"$maxKey": 1},
    "date": "2023-05-10T12:00:00", "date_ms": "2023-05-10T12:00:00.123000",
    "empty": {}, "list": []
  })j");
  EXPECT_EQ(out, expected) << out.dump(2);
  EXPECT_EQ(out["whole"].dump(), "2.0") << "a double stays a double";
  EXPECT_EQ(notes.legacy_uuids.count, 1);
  EXPECT_EQ(notes.legacy_uuids.first_path, "legacy_uuid");
  EXPECT_EQ(notes.not_finite.count, 3);               // nan, inf, dec_nan
  EXPECT_EQ(notes.not_finite.first_path, "dec_nan");  // keys in nlohmann's order
}

TEST(MongodbValues, DecimalsAndBytesKeepTheirInformation) {
  mongodb::ConversionNotes notes;
  auto d = doc(R"j({
    "_id": 7,
    "exact": {"$numberDecimal": "1234567890123456789012345678.012345"},
    "short": {"$numberDecimal": "0.10"},
    "blob": {"$binary": {"base64": "//4Awyg=", "subType": "00"}},
    "deep": [{"x": {"$numberDouble": "Infinity"}}]
  })j");
  auto converted = mongodb::convert_document(*d.get(), DateConversion::kDatetime, notes);
  EXPECT_EQ(converted.fields["exact"], json("1234567890123456789012345678.012345"));
  EXPECT_EQ(converted.fields["short"].dump(), "0.1");
  EXPECT_EQ(converted.fields["blob"], json("//4Awyg="));
  EXPECT_EQ(converted.fields["deep"], json::parse(R"([{"x": null}])"));
  EXPECT_EQ(notes.not_finite.count, 1);
  EXPECT_EQ(notes.not_finite.first_path, "deep.0.x");
  EXPECT_EQ(notes.not_finite.first_id, "7");

  // A string that is not UTF-8 (pymongo fails on it) is sent as base64, and noted.
  bson_t raw;
  bson_init(&raw);
  bson_append_int32(&raw, "_id", -1, 8);
  bson_append_utf8(&raw, "name", -1, "a\xff", 2);
  auto bad = mongodb::convert_document(raw, DateConversion::kDatetime, notes);
  bson_destroy(&raw);
  EXPECT_EQ(bad.fields["name"], json("Yf8="));
  EXPECT_EQ(notes.not_utf8.count, 1);
  EXPECT_EQ(notes.not_utf8.first_path, "name");
  EXPECT_EQ(notes.not_utf8.first_id, "8");
}

TEST(MongodbValues, IsoformatLikePymongosNaiveUtcDatetimes) {
  using mongodb::python_isoformat_millis;
  EXPECT_EQ(python_isoformat_millis(0), "1970-01-01T00:00:00");
  EXPECT_EQ(python_isoformat_millis(-1), "1969-12-31T23:59:59.999000");
  EXPECT_EQ(python_isoformat_millis(951782400000), "2000-02-29T00:00:00");
  EXPECT_EQ(python_isoformat_millis(-62135596800000), "0001-01-01T00:00:00");
  EXPECT_EQ(python_isoformat_millis(253402300799999), "9999-12-31T23:59:59.999000");
  EXPECT_EQ(python_isoformat_millis(-62135596800001), std::nullopt);
  EXPECT_EQ(python_isoformat_millis(253402300800000), std::nullopt);
  EXPECT_EQ(mongodb::year_of_millis(20240000000000000LL), 643350);
  EXPECT_EQ(mongodb::year_of_millis(-62135596800001), 0);
}

TEST(MongodbValues, DatesUnderEachConversion) {
  const std::string text = R"({"_id": 1, "ok": {"$date": "2023-05-10T12:00:00Z"},
    "far": {"$date": {"$numberLong": "20240000000000000"}},
    "early": [{"$date": {"$numberLong": "-70000000000000"}}]})";
  EXPECT_EQ(
      fields(text, DateConversion::kClamp),
      json::parse(R"({"_id": 1, "ok": "2023-05-10T12:00:00", "far": "9999-12-31T23:59:59.999000",
                           "early": ["0001-01-01T00:00:00"]})"));
  EXPECT_EQ(fields(text, DateConversion::kAuto),
            json::parse(R"({"_id": 1, "ok": "2023-05-10T12:00:00", "far": 20240000000000000,
                           "early": [-70000000000000]})"));
  EXPECT_EQ(fields(text, DateConversion::kMs),
            json::parse(R"({"_id": 1, "ok": 1683720000000, "far": 20240000000000000,
                           "early": [-70000000000000]})"));
  mongodb::ConversionNotes notes;
  try {
    mongodb::convert_document(*doc(text).get(), DateConversion::kDatetime, notes);
    FAIL() << "an out-of-range date under DATETIME";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("document 1:"), std::string::npos) << message;
    // The first in document order (bson_from_json wrote the keys sorted).
    EXPECT_NE(message.find("field 'early.0'"), std::string::npos) << message;
    EXPECT_NE(message.find("year -249 is out of range"), std::string::npos) << message;
    EXPECT_NE(message.find("datetime_conversion"), std::string::npos) << message;
  }
  auto early =
      doc(R"({"_id": "x", "a": {"b": [0, {"$date": {"$numberLong": "-70000000000000"}}]}})");
  try {
    mongodb::convert_document(*early.get(), DateConversion::kDatetime, notes);
    FAIL();
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("document x: field 'a.b.1'"), std::string::npos)
        << e.what();
  }
}

TEST(MongodbValues, DocumentIds) {
  mongodb::ConversionNotes notes;
  auto converted = mongodb::convert_document(
      *doc(R"({"_id": {"$oid": "64a1b2c3d4e5f60718293a4b"}, "a": 1})").get(),
      DateConversion::kDatetime, notes);
  EXPECT_EQ(converted.id, "64a1b2c3d4e5f60718293a4b");
  EXPECT_EQ(converted.fields, json({{"a", 1}})) << "_id is metadata: not a field";
  auto id_of = [&](const std::string& text) {
    return mongodb::convert_document(*doc(text).get(), DateConversion::kDatetime, notes).id;
  };
  EXPECT_EQ(id_of(R"({"_id": "plain"})"), "plain");
  EXPECT_EQ(id_of(R"({"_id": 42})"), "42");
  EXPECT_EQ(id_of(R"({"_id": {"$numberLong": "9007199254740993"}})"), "9007199254740993");
  EXPECT_EQ(id_of(R"({"_id": {"k": {"$oid": "64a1b2c3d4e5f60718293a4b"}, "n": 2}})"),
            R"({"k":"64a1b2c3d4e5f60718293a4b","n":2})");
  EXPECT_EQ(id_of(R"({"_id": {"$date": "2023-05-10T12:00:00Z"}})"), "2023-05-10T12:00:00");
  EXPECT_THROW(id_of(R"({"a": 1})"), SourceError);
  EXPECT_THROW(id_of(R"({"_id": null})"), SourceError);
}

TEST(MongodbRules, SchemaAsTheFrameworksValidator) {
  auto message = [](const std::string& text) {
    return mongodb::validate_rules_schema(json::parse(text)).message;
  };
  EXPECT_TRUE(mongodb::validate_rules_schema(json::object()).valid);
  EXPECT_TRUE(mongodb::validate_rules_schema(nullptr).valid);
  EXPECT_TRUE(mongodb::validate_rules_schema(json::parse(R"({"find": {}})")).valid);
  EXPECT_TRUE(mongodb::validate_rules_schema(
                  json::parse(
                      R"({"find": {"filter": {"a": 1}, "projection": ["a"], "skip": 1, "limit": 5,
                      "no_cursor_timeout": true, "allow_partial_results": false, "batch_size": 10,
                      "return_key": false, "show_record_id": false, "max_time_ms": 100,
                      "allow_disk_use": true}})"))
                  .valid);
  EXPECT_TRUE(mongodb::validate_rules_schema(
                  json::parse(R"({"aggregate": {"pipeline": [{"$match": {}}], "allowDiskUse": true,
                      "maxTimeMS": 10, "batchSize": 5, "let": {"x": 1}}})"))
                  .valid);
  EXPECT_EQ(message("[]"), "");  // empty: no rules
  EXPECT_EQ(message("[1]"), "data must be object");
  EXPECT_EQ(message(R"({"find": {}, "aggregate": {"pipeline": [{}]}})"),
            "data must contain less than or equal to 1 properties");
  EXPECT_EQ(message(R"({"search": {}})"), "data must not contain {'search'} properties");
  EXPECT_EQ(message(R"({"find": []})"), "data.find must be object");
  EXPECT_EQ(message(R"({"find": {"skip": "1"}})"), "data.find.skip must be integer");
  EXPECT_EQ(message(R"({"find": {"filter": []}})"), "data.find.filter must be object");
  EXPECT_EQ(message(R"({"find": {"projection": "a"}})"),
            "data.find.projection must be array or object");
  EXPECT_EQ(message(R"({"find": {"projection": []}})"),
            "data.find.projection must contain at least 1 items");
  EXPECT_EQ(message(R"({"find": {"sort": {"a": 1}, "hint": "x"}})"),
            "data.find must not contain {'hint', 'sort'} properties");
  EXPECT_EQ(message(R"({"aggregate": {"pipeline": []}})"),
            "data.aggregate.pipeline must contain at least 1 items");
  EXPECT_EQ(message(R"({"aggregate": {"allowDiskUse": 1}})"),
            "data.aggregate.allowDiskUse must be boolean");
  EXPECT_EQ(message(R"({"aggregate": {"batch_size": 1}})"),
            "data.aggregate must not contain {'batch_size'} properties");
}

TEST(MongodbRules, PlansConvertExtendedJson) {
  auto plan = mongodb::make_plan(
      json::parse(R"({"find": {"filter": {"_id": {"$oid": "64a1b2c3d4e5f60718293a4b"},
                                          "at": {"$gte": {"$date": "2023-01-01T00:00:00Z"}}},
                               "projection": ["a", "b"], "limit": -3}})"),
      100);
  EXPECT_FALSE(plan.aggregate);
  bson_iter_t it;
  ASSERT_TRUE(bson_iter_init_find(&it, plan.query.get(), "_id"));
  EXPECT_EQ(bson_iter_type(&it), BSON_TYPE_OID);
  ASSERT_TRUE(bson_iter_init(&it, plan.query.get()));
  ASSERT_TRUE(bson_iter_find_descendant(&it, "at.$gte", &it));
  EXPECT_EQ(bson_iter_type(&it), BSON_TYPE_DATE_TIME);
  mongodb::ConversionNotes notes;
  EXPECT_EQ(mongodb::bson_to_json(*plan.options.get(), DateConversion::kDatetime, "", notes),
            json::parse(R"({"projection": {"a": 1, "b": 1}, "limit": 3, "singleBatch": true,
                            "batchSize": 100})"));

  auto agg = mongodb::make_plan(
      json::parse(R"({"aggregate": {"pipeline": [{"$match": {"n": {"$gt": 1}}}], "batchSize": 7,
                                    "allowDiskUse": true}})"),
      100);
  EXPECT_TRUE(agg.aggregate);
  EXPECT_EQ(mongodb::bson_to_json(*agg.query.get(), DateConversion::kDatetime, "", notes),
            json::parse(R"({"pipeline": [{"$match": {"n": {"$gt": 1}}}]})"));
  EXPECT_EQ(mongodb::bson_to_json(*agg.options.get(), DateConversion::kDatetime, "", notes),
            json::parse(R"({"allowDiskUse": true, "batchSize": 7})"));

  auto all = mongodb::make_plan(json::object(), 100);
  EXPECT_EQ(mongodb::bson_to_json(*all.query.get(), DateConversion::kDatetime, "", notes),
            json::object());

  try {
    mongodb::make_plan(json::parse(R"({"find": {"filter": {"_id": {"$oid": "nothex"}}}})"), 100);
    FAIL() << "a bad $oid";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "advanced_snippet");
    EXPECT_NE(std::string(e.what()).find("find.filter is not valid extended JSON"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(mongodb::make_plan(json::parse(R"({"find": {"skip": true}})"), 100), ConfigError);
}

TEST(MongodbRules, TheSourceValidatesAndRefusesBadRules) {
  auto source = make_source("mongodb", kGood);
  auto* rules = source->advanced_rules();
  ASSERT_NE(rules, nullptr);
  EXPECT_TRUE(rules->validate_advanced_rules(json::parse(R"({"find": {"filter": {}}})"), {}).valid);
  auto bad = rules->validate_advanced_rules(json::parse(R"({"find": {"limit": 1.5}})"), {});
  EXPECT_FALSE(bad.valid);
  EXPECT_EQ(bad.message, "data.find.limit must be integer");
  EXPECT_THROW(rules->set_advanced_rules(json::parse(R"({"aggregate": {}, "find": {}})")),
               ConfigError);
  EXPECT_NO_THROW(rules->set_advanced_rules(json::object()));
}

}  // namespace
}  // namespace connectors::sources
