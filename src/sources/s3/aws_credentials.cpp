#include "sources/s3/aws_credentials.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/text.h"

namespace connectors::sources::s3 {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::optional<std::string> nonempty_variable(const AwsEnvironment& env, const std::string& name) {
  auto value = env.variable(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::string home_path(const AwsEnvironment& env, const std::string& variable,
                      const std::string& default_file) {
  if (auto path = nonempty_variable(env, variable)) {
    if (path->starts_with("~/")) return env.variable("HOME").value_or("") + path->substr(1);
    return *path;
  }
  return env.variable("HOME").value_or("") + "/.aws/" + default_file;
}

// The profile's keys from one file's section, or nullopt when the file, the
// section or its key pair is missing.
std::optional<AwsCredentials> from_file(const AwsEnvironment& env, const std::string& path,
                                        const std::string& section,
                                        std::vector<std::string>* looked) {
  if (looked) looked->push_back(path + " [" + section + "]");
  auto text = env.read_file(path);
  if (!text) return std::nullopt;
  auto sections = parse_ini(*text);
  auto found = sections.find(section);
  if (found == sections.end()) return std::nullopt;
  const auto& keys = found->second;
  auto id = keys.find("aws_access_key_id");
  auto secret = keys.find("aws_secret_access_key");
  if (id == keys.end() || secret == keys.end() || id->second.empty()) return std::nullopt;
  AwsCredentials out{id->second, Secret(secret->second), Secret(), path + " [" + section + "]"};
  if (auto token = keys.find("aws_session_token"); token != keys.end()) {
    out.session_token = Secret(token->second);
  }
  return out;
}

// The config file names profiles "[profile x]", except "[default]".
std::string config_section(const std::string& profile) {
  return profile == "default" ? profile : "profile " + profile;
}

}  // namespace

AwsEnvironment AwsEnvironment::process() {
  return {[](const std::string& name) -> std::optional<std::string> {
            const char* value = std::getenv(name.c_str());
            if (value == nullptr) return std::nullopt;
            return std::string(value);
          },
          [](const std::string& path) -> std::optional<std::string> {
            std::ifstream in(path, std::ios::binary);
            if (!in) return std::nullopt;
            std::ostringstream text;
            text << in.rdbuf();
            return text.str();
          }};
}

IniSections parse_ini(std::string_view text) {
  IniSections sections;
  std::string section;
  bool in_section = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    // An indented line continues the previous key (a nested setting): not ours.
    if (raw[0] == ' ' || raw[0] == '\t') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = trim(std::string_view(line).substr(1, line.size() - 2));
      in_section = true;
      sections[section];
      continue;
    }
    size_t separator = line.find_first_of("=:");
    if (!in_section || separator == std::string::npos) continue;
    sections[section][lower(trim(std::string_view(line).substr(0, separator)))] =
        trim(std::string_view(line).substr(separator + 1));
  }
  return sections;
}

std::string profile_name(const AwsEnvironment& env) {
  if (auto profile = nonempty_variable(env, "AWS_PROFILE")) return *profile;
  if (auto profile = nonempty_variable(env, "AWS_DEFAULT_PROFILE")) return *profile;
  return "default";
}

std::optional<AwsCredentials> credentials_from_chain(const AwsEnvironment& env,
                                                     std::vector<std::string>* looked) {
  if (looked) looked->push_back("the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
  auto id = nonempty_variable(env, "AWS_ACCESS_KEY_ID");
  auto secret = nonempty_variable(env, "AWS_SECRET_ACCESS_KEY");
  if (id && secret) {
    return AwsCredentials{*id, Secret(*secret),
                          Secret(nonempty_variable(env, "AWS_SESSION_TOKEN").value_or("")),
                          "environment"};
  }
  std::string profile = profile_name(env);
  if (auto found = from_file(env, home_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials"),
                             profile, looked)) {
    return found;
  }
  return from_file(env, home_path(env, "AWS_CONFIG_FILE", "config"), config_section(profile),
                   looked);
}

std::string default_region(const AwsEnvironment& env) {
  if (auto region = nonempty_variable(env, "AWS_REGION")) return *region;
  if (auto region = nonempty_variable(env, "AWS_DEFAULT_REGION")) return *region;
  if (auto text = env.read_file(home_path(env, "AWS_CONFIG_FILE", "config"))) {
    auto sections = parse_ini(*text);
    auto found = sections.find(config_section(profile_name(env)));
    if (found != sections.end()) {
      auto region = found->second.find("region");
      if (region != found->second.end() && !region->second.empty()) return region->second;
    }
  }
  return "us-east-1";
}

std::string endpoint_of(const std::string& configured, const AwsEnvironment& env) {
  std::string endpoint = trim(configured);
  if (endpoint.empty()) {
    endpoint = trim(nonempty_variable(env, "AWS_ENDPOINT_URL").value_or(""));
    auto port = nonempty_variable(env, "AWS_PORT");
    if (!endpoint.empty() && port) endpoint += ":" + *port;
  }
  while (endpoint.ends_with('/')) endpoint.pop_back();
  return endpoint;
}

}  // namespace connectors::sources::s3
