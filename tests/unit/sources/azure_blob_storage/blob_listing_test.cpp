// The Blob service's XML answers (recorded from Azurite 3.35 and shaped as
// Azure's documentation shows them) and the documents built from them, as the
// framework's prepare_blob_doc builds them.
#include "sources/azure_blob_storage/blob_listing.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "sources/azure_blob_storage/blob_document.h"

namespace connectors::sources::azure {
namespace {

// Azurite 3.35's List Containers page: con2 has no metadata, so no <Metadata>.
constexpr const char* kContainers =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><EnumerationResults ServiceEndpoint="http://127.0.0.1:34927/devstoreaccount1"><Prefix/><MaxResults>5000</MaxResults><Containers><Container><Name>con1</Name><Properties><Last-Modified>Sun, 06 Dec 2026 16:38:33 GMT</Last-Modified><Etag>"0x24BCA712E585FC0"</Etag><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold></Properties><Metadata><team>blue</team></Metadata></Container><Container><Name>con2</Name><Properties><Last-Modified>Sun, 06 Dec 2026 16:38:33 GMT</Last-Modified><Etag>"0x255CFC8A3B17A80"</Etag><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState></Properties></Container></Containers><NextMarker/></EnumerationResults>)";

// Azurite 3.35's List Blobs page with a name that needs escaping and metadata.
constexpr const char* kBlobs =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><EnumerationResults ServiceEndpoint="http://127.0.0.1:34927/devstoreaccount1" ContainerName="con1"><Prefix/><Marker/><MaxResults>2</MaxResults><Blobs><Blob><Name>a b/ü&amp;x.txt</Name><Properties><Creation-Time>Sun, 06 Dec 2026 16:38:34 GMT</Creation-Time><Last-Modified>Wed, 10 May 2023 12:00:00 GMT</Last-Modified><Etag>0x279DFBEE131EE60</Etag><Content-Length>5</Content-Length><Content-Type>text/plain</Content-Type><Content-MD5>XUFAKrxLKna5cZ2REBfFkg==</Content-MD5><BlobType>BlockBlob</BlobType><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred></Properties><Metadata><k>v</k><Quote>it's</Quote></Metadata></Blob><Blob><Name Encoded="true">odd%EF%BF%BEname</Name><Properties><Last-Modified>Wed, 10 May 2023 12:00:01 GMT</Last-Modified><Content-Length>0</Content-Length><LeaseStatus>locked</LeaseStatus><LeaseState>leased</LeaseState><LeaseDuration>infinite</LeaseDuration><AccessTier>Archive</AccessTier></Properties></Blob></Blobs><NextMarker>2!72!MDAwMDA=</NextMarker></EnumerationResults>)";

TEST(BlobListingTest, ContainersWithAndWithoutMetadata) {
  auto page = parse_container_list(kContainers);
  ASSERT_EQ(page.items.size(), 2U);
  EXPECT_EQ(page.items[0].name, "con1");
  ASSERT_TRUE(page.items[0].metadata);
  EXPECT_EQ(*page.items[0].metadata, (Metadata{{"team", "blue"}}));
  EXPECT_EQ(page.items[1].name, "con2");
  EXPECT_FALSE(page.items[1].metadata);
  EXPECT_EQ(page.next_marker, "");  // <NextMarker/>: the last page
}

TEST(BlobListingTest, BlobsWithPropertiesMetadataAndTheNextMarker) {
  auto page = parse_blob_list(kBlobs);
  ASSERT_EQ(page.items.size(), 2U);
  const BlobItem& a = page.items[0];
  EXPECT_EQ(a.name, "a b/ü&x.txt");
  EXPECT_EQ(a.size, 5);
  EXPECT_EQ(a.content_type, "text/plain");
  EXPECT_EQ(a.access_tier, "Hot");
  EXPECT_EQ(a.lease_status, "unlocked");
  EXPECT_FALSE(a.lease_duration);
  EXPECT_EQ(a.metadata, (Metadata{{"k", "v"}, {"Quote", "it's"}}));
  const BlobItem& b = page.items[1];
  EXPECT_EQ(b.name, "odd\xEF\xBF\xBEname");  // <Name Encoded="true"> is percent-decoded
  EXPECT_EQ(b.creation_time, "");
  EXPECT_FALSE(b.content_type);
  EXPECT_EQ(page.next_marker, "2!72!MDAwMDA=");
}

TEST(BlobListingTest, AnswersThatAreNotListingsAreErrors) {
  EXPECT_THROW(parse_blob_list("<html>proxy error</html>"), std::runtime_error);
  EXPECT_THROW(parse_container_list("not xml at all"), std::runtime_error);
  EXPECT_THROW(parse_blob_list("<EnumerationResults><Blobs><Blob/></Blobs></EnumerationResults>"),
               std::runtime_error);
}

TEST(BlobListingTest, ErrorCodesOfErrorBodies) {
  EXPECT_EQ(
      error_code("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationFailure"
                 "</Code><Message>Server failed to authenticate the request.</Message></Error>"),
      "AuthorizationFailure");
  EXPECT_EQ(error_code("<Error><Message>no code</Message></Error>"), "");
  EXPECT_EQ(error_code("gateway timeout"), "");
}

TEST(BlobDocumentTest, TheFrameworksFieldsAndPythonSpellings) {
  auto containers = parse_container_list(kContainers);
  auto blobs = parse_blob_list(kBlobs);
  Document doc = blob_document(containers.items[0], blobs.items[0]);
  EXPECT_EQ(doc.id, "con1/a b/ü&x.txt");
  EXPECT_EQ(doc.timestamp, "2023-05-10T12:00:00+00:00");
  nlohmann::json expected = {
      {"created at", "2026-12-06T16:38:34+00:00"},
      {"content type", "text/plain"},
      {"container metadata", "{'team': 'blue'}"},
      {"metadata", "{'k': 'v', 'Quote': \"it's\"}"},
      {"leasedata", "{'status': 'unlocked', 'state': 'available', 'duration': None}"},
      {"title", "a b/ü&x.txt"},
      {"tier", "Hot"},
      {"size", 5},
      {"container", "con1"},
  };
  EXPECT_EQ(doc.fields, expected) << doc.fields.dump(2);
}

TEST(BlobDocumentTest, AbsentValuesAreNoneOrNull) {
  auto containers = parse_container_list(kContainers);
  auto blobs = parse_blob_list(kBlobs);
  Document doc = blob_document(containers.items[1], blobs.items[1]);
  EXPECT_EQ(doc.fields["container metadata"], "None");  // the SDK's None: no <Metadata>
  EXPECT_EQ(doc.fields["metadata"], "{}");              // the SDK's {} for a blob
  EXPECT_EQ(doc.fields["leasedata"],
            "{'status': 'locked', 'state': 'leased', 'duration': 'infinite'}");
  EXPECT_TRUE(doc.fields["created at"].is_null());
  EXPECT_TRUE(doc.fields["content type"].is_null());
  EXPECT_EQ(doc.fields["tier"], "Archive");
}

TEST(BlobDocumentTest, AnUnreadableLastModifiedNamesTheBlob) {
  BlobItem blob;
  blob.name = "x.txt";
  blob.last_modified = "yesterday-ish";
  ContainerItem container{"box", std::nullopt};
  try {
    blob_document(container, blob);
    FAIL() << "no error";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("blob 'x.txt' of container 'box'"), std::string::npos)
        << e.what();
  }
}

TEST(BlobDocumentTest, IsoformatOfHttpDates) {
  EXPECT_EQ(isoformat_of_http_date("Wed, 10 May 2023 12:00:00 GMT"), "2023-05-10T12:00:00+00:00");
  EXPECT_FALSE(isoformat_of_http_date(""));
  EXPECT_FALSE(isoformat_of_http_date("not a date"));
}

}  // namespace
}  // namespace connectors::sources::azure
