// The S3 source's AWS credential chain and region over a chosen environment:
// INI files as botocore reads them, the order of the chain, profiles, and the
// endpoint from AWS_ENDPOINT_URL / AWS_PORT.
#include "sources/s3/aws_credentials.h"

#include <gtest/gtest.h>

#include <map>

namespace connectors::sources::s3 {
namespace {

struct FakeEnvironment {
  std::map<std::string, std::string> variables{{"HOME", "/home/u"}};
  std::map<std::string, std::string> files;

  AwsEnvironment env() const {
    return {[this](const std::string& name) -> std::optional<std::string> {
              auto it = variables.find(name);
              if (it == variables.end()) return std::nullopt;
              return it->second;
            },
            [this](const std::string& path) -> std::optional<std::string> {
              auto it = files.find(path);
              if (it == files.end()) return std::nullopt;
              return it->second;
            }};
  }
};

TEST(AwsIni, CommentsSpacesCaseAndNestedSettings) {
  auto sections = parse_ini(
      "# a comment\n"
      "; another\n"
      "[default]\r\n"
      "  \n"
      "AWS_Access_Key_Id = AKIDDEFAULT \r\n"
      "aws_secret_access_key=se=cret#not-a-comment\n"
      "s3 =\n"
      "  addressing_style = path\n"
      "[ profile dev ]\n"
      "region: eu-central-1\n"
      "ignored line without separator\n");
  ASSERT_EQ(sections.count("default"), 1u);
  EXPECT_EQ(sections["default"]["aws_access_key_id"], "AKIDDEFAULT");
  EXPECT_EQ(sections["default"]["aws_secret_access_key"], "se=cret#not-a-comment");
  EXPECT_EQ(sections["default"]["s3"], "");
  EXPECT_EQ(sections["default"].count("addressing_style"), 0u);
  EXPECT_EQ(sections["profile dev"]["region"], "eu-central-1");
  EXPECT_EQ(sections["profile dev"].size(), 1u);
}

TEST(AwsChain, EnvironmentComesFirst) {
  FakeEnvironment f;
  f.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  f.variables["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  f.variables["AWS_SESSION_TOKEN"] = "token";
  f.files["/home/u/.aws/credentials"] =
      "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=x\n";
  auto found = credentials_from_chain(f.env());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->access_key_id, "AKIDENV");
  EXPECT_EQ(found->secret_access_key.reveal(), "envsecret");
  EXPECT_EQ(found->session_token.reveal(), "token");
  EXPECT_EQ(found->origin, "environment");
}

TEST(AwsChain, SharedCredentialsFileWithAProfile) {
  FakeEnvironment f;
  f.variables["AWS_PROFILE"] = "work";
  f.variables["AWS_ACCESS_KEY_ID"] = "AKIDONLY";  // without its secret: not used
  f.files["/home/u/.aws/credentials"] =
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
      "[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = w\naws_session_token = t\n";
  auto found = credentials_from_chain(f.env());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->access_key_id, "AKIDWORK");
  EXPECT_EQ(found->secret_access_key.reveal(), "w");
  EXPECT_EQ(found->session_token.reveal(), "t");
  EXPECT_EQ(found->origin, "/home/u/.aws/credentials [work]");
}

TEST(AwsChain, ConfigFileProfileSectionAndOverriddenPaths) {
  FakeEnvironment f;
  f.variables["AWS_DEFAULT_PROFILE"] = "ci";
  f.variables["AWS_SHARED_CREDENTIALS_FILE"] = "/etc/creds";
  f.variables["AWS_CONFIG_FILE"] = "~/cfg";
  f.files["/etc/creds"] = "[other]\naws_access_key_id=A\naws_secret_access_key=B\n";
  f.files["/home/u/cfg"] =
      "[ci]\naws_access_key_id=WRONGSECTION\naws_secret_access_key=x\n"
      "[profile ci]\naws_access_key_id=AKIDCI\naws_secret_access_key=c\nregion=ap-south-1\n";
  auto found = credentials_from_chain(f.env());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->access_key_id, "AKIDCI");
  EXPECT_EQ(default_region(f.env()), "ap-south-1");
}

TEST(AwsChain, NothingFoundSaysWhereItLooked) {
  FakeEnvironment f;
  std::vector<std::string> looked;
  EXPECT_FALSE(credentials_from_chain(f.env(), &looked));
  ASSERT_EQ(looked.size(), 3u);
  EXPECT_NE(looked[0].find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_EQ(looked[1], "/home/u/.aws/credentials [default]");
  EXPECT_EQ(looked[2], "/home/u/.aws/config [default]");
}

TEST(AwsRegion, EnvironmentThenConfigThenUsEast1) {
  FakeEnvironment f;
  EXPECT_EQ(default_region(f.env()), "us-east-1");
  f.files["/home/u/.aws/config"] =
      "[default]\nregion = us-west-2\n[profile x]\nregion = eu-west-3\n";
  EXPECT_EQ(default_region(f.env()), "us-west-2");
  f.variables["AWS_PROFILE"] = "x";
  EXPECT_EQ(default_region(f.env()), "eu-west-3");
  f.variables["AWS_DEFAULT_REGION"] = "ca-central-1";
  EXPECT_EQ(default_region(f.env()), "ca-central-1");
  f.variables["AWS_REGION"] = "sa-east-1";
  EXPECT_EQ(default_region(f.env()), "sa-east-1");
}

TEST(AwsEndpoint, FieldWinsOverTheFrameworksVariables) {
  FakeEnvironment f;
  EXPECT_EQ(endpoint_of("", f.env()), "");
  f.variables["AWS_ENDPOINT_URL"] = "http://127.0.0.1";
  EXPECT_EQ(endpoint_of("", f.env()), "http://127.0.0.1");
  f.variables["AWS_PORT"] = "5001";
  EXPECT_EQ(endpoint_of("", f.env()), "http://127.0.0.1:5001");
  EXPECT_EQ(endpoint_of(" https://rgw.example:7480/ ", f.env()), "https://rgw.example:7480");
}

}  // namespace
}  // namespace connectors::sources::s3
