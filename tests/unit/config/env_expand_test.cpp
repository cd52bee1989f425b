#include "config/env_expand.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace connectors::config {
namespace {

std::optional<std::string> lookup(const std::string& name) {
  if (name == "A") return std::string("1");
  if (name == "EMPTY") return std::string();
  return std::nullopt;
}

TEST(EnvExpand, Forms) {
  EXPECT_EQ(expand_env("x${A}y", "k", lookup), "x1y");
  EXPECT_EQ(expand_env("$A-$A", "k", lookup), "1-1");
  EXPECT_EQ(expand_env("${MISSING:-dflt}", "k", lookup), "dflt");
  EXPECT_EQ(expand_env("${EMPTY:-dflt}", "k", lookup), "");
  EXPECT_EQ(expand_env("cost $$5", "k", lookup), "cost $5");
  EXPECT_EQ(expand_env("trailing $", "k", lookup), "trailing $");
  EXPECT_EQ(expand_env("no vars", "k", lookup), "no vars");
}

TEST(EnvExpand, ErrorsNameTheKey) {
  try {
    expand_env("${MISSING}", "service.idling", lookup);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "service.idling");
    EXPECT_NE(std::string(e.what()).find("MISSING"), std::string::npos);
  }
  EXPECT_THROW(expand_env("${A", "k", lookup), ConfigError);
}

}  // namespace
}  // namespace connectors::config
