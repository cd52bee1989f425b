// Generated ids that begin with '-' reach the commands as values, not options.
#include "cli/dash_ids.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace connectors::cli {
namespace {

using Args = std::vector<std::string>;

struct Parsed {
  std::string config, connector, positional;
  bool json = false;
};

// A tree shaped like `connectors`: a global -c, `job start -i ID` and `job list ID`.
class DashIds : public ::testing::Test {
 protected:
  DashIds() {
    app_.fallthrough();
    app_.add_option("-c,--config", parsed_.config);
    CLI::App* other = app_.add_subcommand("connector");
    other->add_flag("-i,--interactive",
                    interactive_);  // a flag -i elsewhere must not confuse `job start -i`
    CLI::App* job = app_.add_subcommand("job");
    CLI::App* start = job->add_subcommand("start");
    start->add_option("-i,--connector-id", parsed_.connector);
    start->add_option("-t", type_);
    CLI::App* list = job->add_subcommand("list");
    list->add_option("connector_id", parsed_.positional)->required();
    list->add_flag("--json", parsed_.json);
  }

  Parsed parse(const Args& args) {
    Args reversed = protect_dash_ids(app_, args);
    std::reverse(reversed.begin(), reversed.end());
    app_.parse(reversed);
    return parsed_;
  }

  CLI::App app_{"test"};
  Parsed parsed_;
  std::string type_;
  bool interactive_ = false;
};

const std::string kDashId = "-c9Xk2JABcdEfGh_iJ-K";  // 20 chars, starts like the -c option

TEST_F(DashIds, RecognisesOnlyTwentyCharacterBase64UrlTokens) {
  EXPECT_TRUE(is_dash_id(app_, kDashId));
  EXPECT_FALSE(is_dash_id(app_, "c9Xk2JABcdEfGh_iJ-Kx"));  // no leading dash
  EXPECT_FALSE(is_dash_id(app_, "-c9Xk2JABcdEfGh_iJ"));    // too short
  EXPECT_FALSE(is_dash_id(app_, "-c9Xk2JABcdEfGh_iJ.K"));  // not base64url
  EXPECT_FALSE(is_dash_id(app_, "--connector-id"));
}

TEST_F(DashIds, APositionalDashIdIsTheArgumentNotAnOption) {
  Parsed p = parse({"job", "list", kDashId, "--json"});
  EXPECT_EQ(p.positional, kDashId);
  EXPECT_TRUE(p.json);
  EXPECT_EQ(p.config, "");  // not taken for `-c 9Xk…`
}

TEST_F(DashIds, ADashIdAfterAnOptionBecomesItsValue) {
  Parsed p = parse({"job", "start", "-i", kDashId, "-t", "full"});
  EXPECT_EQ(p.connector, kDashId);
  EXPECT_EQ(type_, "full");
  Parsed q = parse({"job", "start", "--connector-id", kDashId});
  EXPECT_EQ(q.connector, kDashId);
}

TEST_F(DashIds, OrdinaryArgumentsAndAnExplicitMarkerAreKept) {
  Args plain = {"job", "list", "abc", "--json", "-c", "x.yml"};
  EXPECT_EQ(protect_dash_ids(app_, plain), plain);
  Args marked = {"job", "list", "--json", "--", "-weird"};
  EXPECT_EQ(protect_dash_ids(app_, marked), marked);
  EXPECT_EQ(parse(marked).positional, "-weird");
}

TEST_F(DashIds, WithoutTheRewriteCli11WouldMisreadTheId) {
  // Guards the reason this exists: if CLI11 ever parses it unaided, this fails.
  Args reversed = {kDashId, "list", "job"};
  EXPECT_THROW(app_.parse(reversed), CLI::ParseError);
}

}  // namespace
}  // namespace connectors::cli
