// The S3 source's reading of recorded S3 answers (bodies as AWS documents
// them), region names, error bodies and LastModified as Python's isoformat.
#include "sources/s3/s3_xml.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace connectors::sources::s3 {
namespace {

const char* kListBuckets = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner><ID>abc</ID><DisplayName>owner</DisplayName></Owner>
  <Buckets>
    <Bucket><Name>ent-search-ingest-dev</Name><CreationDate>2023-05-10T12:00:00.000Z</CreationDate></Bucket>
    <Bucket><Name>my.dotted.bucket</Name><CreationDate>2023-05-10T12:00:00.000Z</CreationDate></Bucket>
  </Buckets>
</ListAllMyBucketsResult>)";

const char* kPage = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>b</Name><Prefix></Prefix><KeyCount>3</KeyCount><MaxKeys>3</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=&amp;+</NextContinuationToken>
  <Contents>
    <Key>folder/</Key><LastModified>2023-05-10T12:00:00.000Z</LastModified>
    <ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag><Size>0</Size>
    <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>mtd</DisplayName></Owner>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents>
    <Key>folder/a &amp; b.txt</Key><LastModified>2023-05-10T12:00:00.123Z</LastModified>
    <Size>20480</Size><StorageClass>GLACIER</StorageClass>
  </Contents>
  <Contents>
    <Key>c.pdf</Key><LastModified>2024-02-29T23:59:59.999Z</LastModified><Size>12</Size>
    <Owner><ID>id-only</ID></Owner>
  </Contents>
</ListBucketResult>)";

TEST(S3Xml, BucketNames) {
  EXPECT_EQ(parse_bucket_names(kListBuckets),
            (std::vector<std::string>{"ent-search-ingest-dev", "my.dotted.bucket"}));
  EXPECT_TRUE(
      parse_bucket_names("<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>").empty());
}

TEST(S3Xml, ObjectPage) {
  ObjectPage page = parse_object_page(kPage);
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=&+");
  ASSERT_EQ(page.objects.size(), 3u);
  EXPECT_EQ(page.objects[0].key, "folder/");
  EXPECT_EQ(page.objects[0].size, 0);
  EXPECT_EQ(page.objects[0].owner, "mtd");
  EXPECT_EQ(page.objects[0].storage_class, "STANDARD");
  EXPECT_EQ(page.objects[1].key, "folder/a & b.txt");
  EXPECT_EQ(page.objects[1].size, 20480);
  EXPECT_EQ(page.objects[1].owner, "");
  EXPECT_EQ(page.objects[1].storage_class, "GLACIER");
  EXPECT_EQ(page.objects[1].last_modified, "2023-05-10T12:00:00.123Z");
  EXPECT_EQ(page.objects[2].owner, "");
  EXPECT_EQ(page.objects[2].storage_class, "STANDARD");  // left out by some stores
}

TEST(S3Xml, LastPageAndBrokenPages) {
  ObjectPage last =
      parse_object_page("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  EXPECT_FALSE(last.truncated);
  EXPECT_TRUE(last.objects.empty());
  EXPECT_THROW(
      parse_object_page("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"),
      SourceError);
  EXPECT_THROW(
      parse_object_page(
          "<ListBucketResult><Contents><Key>k</Key><Size>x</Size></Contents></ListBucketResult>"),
      SourceError);
  EXPECT_THROW(parse_object_page("not xml"), SourceError);
  EXPECT_THROW(parse_object_page(kListBuckets), SourceError);
}

TEST(S3Xml, LocationAndRegion) {
  EXPECT_EQ(parse_location(R"(<?xml version="1.0" encoding="UTF-8"?>
<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>)"),
            "");
  EXPECT_EQ(
      parse_location(
          R"(<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">us-west-2</LocationConstraint>)"),
      "us-west-2");
  EXPECT_EQ(region_of_location(""), "us-east-1");
  EXPECT_EQ(region_of_location("EU"), "eu-west-1");
  EXPECT_EQ(region_of_location("ap-northeast-1"), "ap-northeast-1");
}

TEST(S3Xml, ErrorBodies) {
  auto error = parse_error(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match.</Message><RequestId>1</RequestId></Error>)");
  EXPECT_EQ(error.code, "SignatureDoesNotMatch");
  EXPECT_EQ(error.message, "The request signature we calculated does not match.");
  EXPECT_EQ(parse_error("<Error><Code>InvalidObjectState</Code></Error>").code,
            "InvalidObjectState");
  auto cut = parse_error(
      "<?xml version=\"1.0\"?> <Error><Code>NoSuchBucket</Code><Message>gone</Message><Resou...");
  EXPECT_EQ(cut.code, "NoSuchBucket");  // an excerpt cut short
  EXPECT_EQ(cut.message, "gone");
  EXPECT_EQ(parse_error("gateway timeout").code, "");
  EXPECT_EQ(parse_error("<Other/>").code, "");
}

TEST(S3Xml, TimestampsAsPythonIsoformat) {
  EXPECT_EQ(python_timestamp("2023-05-10T12:00:00.000Z"), "2023-05-10T12:00:00+00:00");
  EXPECT_EQ(python_timestamp("2023-05-10T12:00:00.123Z"), "2023-05-10T12:00:00.123000+00:00");
  EXPECT_EQ(python_timestamp("2024-02-29T23:59:59Z"), "2024-02-29T23:59:59+00:00");
  EXPECT_THROW(python_timestamp("yesterday"), SourceError);
}

}  // namespace
}  // namespace connectors::sources::s3
