#include "es/bulk.h"

#include <gtest/gtest.h>

#include "es/client.h"
#include "es/errors.h"

namespace connectors::es {
namespace {

TEST(BulkBuilder, BuildsNdjson) {
  BulkBuilder builder;
  builder.add(BulkOp::kIndex, "idx", "a\"1", R"({"x":1})");
  builder.add(BulkOp::kDelete, "idx", "b");
  EXPECT_EQ(builder.operations(), 2u);
  EXPECT_EQ(builder.body(),
            "{\"index\":{\"_id\":\"a\\\"1\",\"_index\":\"idx\"}}\n{\"x\":1}\n"
            "{\"delete\":{\"_id\":\"b\",\"_index\":\"idx\"}}\n");
  std::string body = builder.take();
  EXPECT_FALSE(body.empty());
  EXPECT_TRUE(builder.empty());
  EXPECT_EQ(builder.bytes(), 0u);
}

TEST(BulkResponse, ParsesItemsAndErrors) {
  auto response = parse_bulk_response(R"({"took":7,"errors":true,"items":[
    {"index":{"_index":"i","_id":"1","status":201,"result":"created"}},
    {"index":{"_index":"i","_id":"2","status":400,"error":{"type":"mapper_parsing_exception",
      "reason":"failed to parse field [n]","caused_by":{"type":"number_format_exception","reason":"For input string: \"x\""}}}},
    {"delete":{"_index":"i","_id":"3","status":404,"result":"not_found"}}]})");
  EXPECT_TRUE(response.errors);
  EXPECT_EQ(response.took_ms, 7);
  ASSERT_EQ(response.items.size(), 3u);
  EXPECT_TRUE(response.items[0].ok());
  EXPECT_FALSE(response.items[1].ok());
  EXPECT_EQ(response.items[1].error_type, "mapper_parsing_exception");
  EXPECT_NE(response.items[1].error_reason.find("number_format_exception"), std::string::npos);
  EXPECT_EQ(response.items[2].op, BulkOp::kDelete);
  EXPECT_EQ(response.items[2].result, "not_found");
}

TEST(BulkResponse, RejectsJunk) {
  EXPECT_THROW(parse_bulk_response("<html>"), EsError);
  EXPECT_THROW(parse_bulk_response("{\"error\":1}"), EsError);
}

TEST(ClientHelpers, EncodePath) {
  EXPECT_EQ(encode_path("search-idx"), "search-idx");
  EXPECT_EQ(encode_path("a/b c?#"), "a%2Fb%20c%3F%23");
  EXPECT_EQ(encode_path(".elastic-connectors"), ".elastic-connectors");
}

TEST(ClientHelpers, ErrorFromResponseKeepsTypeAndReason) {
  HttpResponse response;
  response.status = 409;
  response.body = R"({"error":{"type":"version_conflict_engine_exception","reason":"[1]: version conflict"},"status":409})";
  EsError error = error_from_response(response, "PUT /idx/_doc/1");
  EXPECT_TRUE(error.is_version_conflict());
  EXPECT_EQ(error.type(), "version_conflict_engine_exception");
  EXPECT_EQ(error.reason(), "[1]: version conflict");
  EXPECT_NE(std::string(error.what()).find("PUT /idx/_doc/1"), std::string::npos);
}

TEST(ClientOptions, FromConfig) {
  config::ElasticsearchConfig es;
  es.host = "https://h:9200";
  es.ssl = false;
  es.verify_certs = false;
  es.ca_certs = "/ca.pem";
  es.retry_interval_s = 0.5;
  auto options = client_options_from(es);
  // ssl: false switches the TLS options off, so verification stays at its safe default.
  EXPECT_TRUE(options.transport.verify_certs);
  EXPECT_EQ(options.transport.ca_certs, "");
  EXPECT_EQ(options.retry_base.count(), 500);
  EXPECT_EQ(options.max_retries, 5);
}

}  // namespace
}  // namespace connectors::es
