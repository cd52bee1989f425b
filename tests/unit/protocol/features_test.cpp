// The connector's `features` reflect what its source declares, as the
// framework's BaseDataSource.features() does; and every source's instances
// have exactly the capabilities its descriptor declares.
#include <gtest/gtest.h>

#include "protocol/connectors.h"
#include "sources/registry.h"

namespace connectors::protocol {
namespace {

TEST(SourceFeatures, ReflectTheCapabilities) {
  json none = source_features({});
  EXPECT_EQ(none["sync_rules"]["basic"]["enabled"], true);
  EXPECT_EQ(none["sync_rules"]["advanced"]["enabled"], false);
  EXPECT_EQ(none["incremental_sync"]["enabled"], false);
  EXPECT_EQ(none["document_level_security"]["enabled"], false);
  json generator = source_features(sources::find_source("generator")->capabilities);
  EXPECT_EQ(generator["incremental_sync"]["enabled"], true);
  EXPECT_EQ(generator["document_level_security"]["enabled"], true);
  EXPECT_EQ(generator["sync_rules"]["advanced"]["enabled"], false);
  json mysql = source_features(sources::find_source("mysql")->capabilities);
  EXPECT_EQ(mysql["sync_rules"]["advanced"]["enabled"], true);
  EXPECT_EQ(mysql["incremental_sync"]["enabled"], false);
}

TEST(SourceFeatures, AccessControlIndexIsTheFrameworks) {
  EXPECT_EQ(access_control_index("search-docs"), ".search-acl-filter-search-docs");
}

TEST(SourceCapabilities, InstancesHaveWhatTheirDescriptorDeclares) {
  const std::map<std::string, json> complete = {
      {"postgresql",
       {{"host", "h"}, {"port", 5432}, {"username", "u"}, {"password", "p"}, {"database", "d"}}},
      {"mysql",
       {{"host", "h"}, {"port", 3306}, {"user", "u"}, {"password", "p"}, {"database", "d"}}},
      {"mongodb", {{"host", "mongodb://h:27017"}, {"database", "d"}, {"collection", "c"}}},
      {"dir", {{"directory", "/tmp"}}},
      {"generator", json::object()},
      {"s3", {{"buckets", "b"}, {"aws_access_key_id", "a"}, {"aws_secret_access_key", "s"}}},
      {"google_cloud_storage",
       {{"service_account_credentials",
         R"({"project_id": "p", "private_key": "k", "client_email": "c@p", "token_uri": "t"})"}}},
      {"azure_blob_storage", json::object()},
      {"network_drive", json::object()},
      {"confluence", {{"username", "u"}, {"password", "p"}, {"confluence_url", "http://c"}}},
      {"jira", {{"account_email", "e"}, {"api_token", "t"}, {"jira_url", "http://j"}}},
      {"mssql",
       {{"host", "h"}, {"port", 1433}, {"username", "u"}, {"password", "p"}, {"database", "d"}}},
      {"oracle",
       {{"host", "h"}, {"port", 1521}, {"username", "u"}, {"password", "p"}, {"database", "d"}}},
  };
  for (const auto& descriptor : sources::registered_sources()) {
    SCOPED_TRACE(descriptor.service_type);
    ASSERT_TRUE(complete.count(descriptor.service_type)) << "add this source here";
    auto source =
        sources::make_source(descriptor.service_type, complete.at(descriptor.service_type));
    EXPECT_EQ(source->advanced_rules() != nullptr, descriptor.capabilities.advanced_rules);
    EXPECT_EQ(source->incremental() != nullptr, descriptor.capabilities.incremental);
    EXPECT_EQ(source->access_control() != nullptr, descriptor.capabilities.access_control);
  }
}

}  // namespace
}  // namespace connectors::protocol
