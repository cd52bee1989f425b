// Where the S3 source finds its AWS credentials and default region when the
// connector's key fields are empty: botocore's default chain without the
// instance metadata service — the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), then the shared credentials file
// (~/.aws/credentials or AWS_SHARED_CREDENTIALS_FILE, profile AWS_PROFILE or
// "default"), then the config file (~/.aws/config or AWS_CONFIG_FILE, section
// "[profile x]" or "[default]"), which also gives the region. Pure functions
// over an AwsEnvironment, so that tests choose what the process sees.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace connectors::sources::s3 {

struct AwsCredentials {
  std::string access_key_id;
  Secret secret_access_key;
  Secret session_token;
  std::string origin;  // where they came from ("configuration", "environment", a file and profile)
};

// What the process sees: environment variables and file contents.
struct AwsEnvironment {
  std::function<std::optional<std::string>(const std::string& name)> variable;
  std::function<std::optional<std::string>(const std::string& path)> read_file;

  // The real process: getenv and the file system.
  static AwsEnvironment process();
};

// section -> key -> value of an INI file as botocore reads it (configparser):
// full-line comments with # or ;, "key = value" or "key: value", keys
// lower-cased, values trimmed, indented continuation lines (nested settings
// such as "s3 =\n  addressing_style = path") left out.
using IniSections = std::map<std::string, std::map<std::string, std::string>>;
IniSections parse_ini(std::string_view text);

// The profile the chain reads: AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
std::string profile_name(const AwsEnvironment& env);

// The chain's credentials, or nullopt; `looked` (when given) collects where it
// looked, for the error that says none was found.
std::optional<AwsCredentials> credentials_from_chain(const AwsEnvironment& env,
                                                     std::vector<std::string>* looked = nullptr);

// AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region` in the
// config file, else "us-east-1".
std::string default_region(const AwsEnvironment& env);

// The endpoint of an S3-compatible store: the connector's `endpoint_url`, else
// the framework's AWS_ENDPOINT_URL joined with AWS_PORT ("http://127.0.0.1" and
// "5001" → "http://127.0.0.1:5001"), else "" (AWS). No trailing slash.
std::string endpoint_of(const std::string& configured, const AwsEnvironment& env);

}  // namespace connectors::sources::s3
