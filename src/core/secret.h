// Secret holds a sensitive value (password, API key, token). It can only be
// printed as "***": operator<<, fmt and spdlog all see the mask, never the value.
// The value is reachable through reveal(), whose every caller is a place that
// hands the value to a network library. Secret is a value type; copies are
// independent and safe to use from any thread.
#pragma once

#include <fmt/format.h>

#include <ostream>
#include <string>
#include <string_view>

namespace connectors {

class Secret {
 public:
  static constexpr std::string_view kMask = "***";

  Secret() = default;
  explicit Secret(std::string value);

  // The plain value, for handing to a transport. Never log it.
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  bool operator==(const Secret& other) const = default;

 private:
  std::string value_;
};

std::ostream& operator<<(std::ostream& out, const Secret& secret);

}  // namespace connectors

template <>
struct fmt::formatter<connectors::Secret> : fmt::formatter<std::string_view> {
  template <typename Ctx>
  auto format(const connectors::Secret&, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format(connectors::Secret::kMask, ctx);
  }
};
