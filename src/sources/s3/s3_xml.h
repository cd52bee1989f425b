// The XML answers of the S3 API the source reads (ListBuckets, GetBucketLocation,
// ListObjectsV2, error bodies), parsed with libxml2 by element local names (S3
// and S3-compatible stores differ in namespaces). Pure functions; a body that
// is not the expected XML is a SourceError naming the request.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace connectors::sources::s3 {

struct S3Object {
  std::string key;
  std::string last_modified;  // as S3 gives it: "2023-05-10T12:00:00.000Z"
  long long size = 0;
  std::string storage_class;  // STANDARD when S3 leaves it out
  std::string owner;          // Owner.DisplayName, "" when absent
};

struct ObjectPage {
  std::vector<S3Object> objects;
  bool truncated = false;
  std::string next_token;  // NextContinuationToken
};

// ListAllMyBucketsResult → the bucket names, in order.
std::vector<std::string> parse_bucket_names(std::string_view xml);

// ListBucketResult (ListObjectsV2).
ObjectPage parse_object_page(std::string_view xml);

// LocationConstraint's text ("" for us-east-1, as S3 answers).
std::string parse_location(std::string_view xml);

// The region a LocationConstraint means: "" → us-east-1, the legacy "EU" → eu-west-1.
std::string region_of_location(std::string_view constraint);

// An S3 <Error> body's Code and Message ("" when the body is not one).
struct S3ErrorBody {
  std::string code;
  std::string message;
};
S3ErrorBody parse_error(std::string_view xml);

// LastModified as the framework's `_timestamp` (datetime.isoformat():
// "2023-05-10T12:00:00+00:00", "…12:00:00.123000+00:00" with milliseconds).
std::string python_timestamp(std::string_view last_modified);

}  // namespace connectors::sources::s3
