#include "es/trace.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/logging.h"
#include "es/client.h"

namespace connectors::es {
namespace {

using json = nlohmann::json;

// A connector configuration as the framework stores it: one sensitive field, one not.
json configuration(const std::string& password) {
  return {{"host", {{"label", "Host"}, {"sensitive", false}, {"value", "db.example.com"}}},
          {"password", {{"label", "Password"}, {"sensitive", true}, {"value", password}}},
          {"token", {{"label", "Token"}, {"sensitive", true}, {"value", ""}}}};
}

TEST(TraceMasking, ConnectorDocument) {
  json doc = {{"service_type", "mysql"}, {"configuration", configuration("Pw-connector-1")}};
  json shown = json::parse(printable_body(doc.dump()));
  EXPECT_EQ(shown["configuration"]["password"]["value"], "***");
  EXPECT_EQ(shown["configuration"]["host"]["value"], "db.example.com");
  EXPECT_EQ(shown["configuration"]["token"]["value"], "");  // an unset value stays visibly unset
  EXPECT_EQ(shown["configuration"]["password"]["label"], "Password");
}

TEST(TraceMasking, JobDocumentAndUpdate) {
  json job = {{"connector", {{"id", "c1"}, {"configuration", configuration("Pw-job-2")}}}};
  std::string shown = printable_body(job.dump());
  EXPECT_EQ(shown.find("Pw-job-2"), std::string::npos) << shown;
  EXPECT_EQ(json::parse(shown)["connector"]["configuration"]["password"]["value"], "***");

  json update = {{"doc", {{"configuration", configuration("Pw-update-3")}}}};
  EXPECT_EQ(printable_body(update.dump()).find("Pw-update-3"), std::string::npos);
}

TEST(TraceMasking, SearchResponseHits) {
  json response = {
      {"hits",
       {{"total", {{"value", 2}}},
        {"hits",
         {{{"_id", "a"}, {"_source", {{"configuration", configuration("Pw-hit-4")}}}},
          {{"_id", "b"},
           {"_source", {{"connector", {{"configuration", configuration("Pw-hit-5")}}}}}}}}}}};
  json shown = json::parse(printable_body(response.dump()));
  EXPECT_EQ(shown["hits"]["hits"][0]["_source"]["configuration"]["password"]["value"], "***");
  EXPECT_EQ(shown["hits"]["hits"][1]["_source"]["connector"]["configuration"]["password"]["value"],
            "***");
  EXPECT_EQ(shown["hits"]["hits"][0]["_source"]["configuration"]["host"]["value"],
            "db.example.com");
}

TEST(TraceMasking, BulkLines) {
  std::string ndjson = json{{"index", {{"_index", ".elastic-connectors"}, {"_id", "c1"}}}}.dump() +
                       "\n" + json{{"configuration", configuration("Pw-bulk-6")}}.dump() + "\n" +
                       json{{"delete", {{"_index", "x"}, {"_id", "2"}}}}.dump() + "\n";
  std::string shown = printable_body(ndjson);
  EXPECT_EQ(shown.find("Pw-bulk-6"), std::string::npos) << shown;
  EXPECT_NE(shown.find(R"("_id":"c1")"), std::string::npos) << shown;
  EXPECT_NE(shown.find(R"({"delete":)"), std::string::npos) << shown;
}

TEST(TraceMasking, MaskedValuesAreRegisteredSecrets) {
  printable_body(json{{"configuration", configuration("Pw-registered-7")}}.dump());
  // The same value in an error text elsewhere (a reason string) is masked too.
  EXPECT_EQ(logging::redact("failed to parse [Pw-registered-7]"), "failed to parse [***]");
}

TEST(TraceMasking, LongBodiesAreCutWithTheirSize) {
  std::string text(10000, 'x');
  std::string shown = printable_body(text, 100);
  EXPECT_EQ(shown, std::string(100, 'x') + " ... (cut, 10000 bytes)");

  std::string ndjson;
  for (int i = 0; i < 1000; ++i) ndjson += R"({"index":{"_id":")" + std::to_string(i) + "\"}}\n";
  shown = printable_body(ndjson, 200);
  EXPECT_NE(shown.find(" ... (cut, " + std::to_string(ndjson.size()) + " bytes)"),
            std::string::npos);
  EXPECT_LT(shown.size(), 260u);
  EXPECT_EQ(printable_body("short"), "short");
}

TEST(TraceMasking, CutNeverSplitsAUtf8Character) {
  std::string text = std::string(99, 'a') + "\xC3\xA9" + "tail";  // é straddles byte 100
  std::string shown = printable_body(text, 100);
  EXPECT_EQ(shown.substr(0, 100), std::string(99, 'a') + " ");
}

TEST(TraceFormat, SummaryLineBodiesAndNoCredentials) {
  std::string text = format_trace({"POST", "http://elastic:Pw-url-8@es.local:9200/idx/_search",
                                   R"({"query":{"match_all":{}}})", 200, "", R"({"hits":{}})",
                                   std::chrono::milliseconds(12)});
  EXPECT_EQ(text,
            "POST http://es.local:9200/idx/_search [status:200 duration:0.012s]\n"
            "> {\"query\":{\"match_all\":{}}}\n"
            "< {\"hits\":{}}");
  std::string failed = format_trace({"GET", "http://es.local:9200/", "", 0, "Connection refused",
                                     "", std::chrono::milliseconds(1)});
  EXPECT_EQ(failed, "GET http://es.local:9200/ [no answer: Connection refused duration:0.001s]");
}

TEST(TraceFormat, UrlWithoutCredentials) {
  EXPECT_EQ(url_without_credentials("https://u:p@h:9200/x?q=a@b"), "https://h:9200/x?q=a@b");
  EXPECT_EQ(url_without_credentials("http://h:9200/a@b"), "http://h:9200/a@b");
  EXPECT_EQ(url_without_credentials("http://h:9200"), "http://h:9200");
}

// elasticsearch.log_level takes the framework's level names, in any case; only
// debug traces.
TEST(TraceSetting, OnlyDebugTraces) {
  config::ElasticsearchConfig es;
  EXPECT_FALSE(client_options_from(es).trace);  // default: info
  for (const char* level : {"debug", "DEBUG", "Debug"}) {
    es.log_level = level;
    EXPECT_TRUE(client_options_from(es).trace) << level;
  }
  for (const char* level : {"info", "WARNING", "warn", "error", "critical", "verbose"}) {
    es.log_level = level;
    EXPECT_FALSE(client_options_from(es).trace) << level;
  }
}

}  // namespace
}  // namespace connectors::es
