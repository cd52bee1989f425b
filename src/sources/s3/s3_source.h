// The Amazon S3 source (service_type "s3", as the Python framework's
// S3DataSource 8.9+): one document per object of the configured buckets (or
// of every bucket with "*"), listed with ListObjectsV2; content read lazily
// with GetObject. Works with S3-compatible stores through an endpoint.
#pragma once

#include <memory>

#include "sources/source.h"

namespace connectors::sources {

SourceDescriptor s3_descriptor();

namespace s3 {
struct AwsEnvironment;
// The source of a configuration, its credentials, region and endpoint read
// from `env` (the descriptor's create uses the process's).
std::unique_ptr<Source> make_source(const Configuration& configuration, const AwsEnvironment& env);
}  // namespace s3

}  // namespace connectors::sources
