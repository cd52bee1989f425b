#include "sync/basic_rules.h"

#include <algorithm>

#include "core/errors.h"

namespace connectors::sync {
namespace {

const std::vector<std::string> kRules = {"equals", "contains", "starts_with", "ends_with", "regex",
                                         ">",      "<"};

std::string text_of(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return value.dump();
}

std::optional<double> number_of(const std::string& text) {
  try {
    size_t used = 0;
    double out = std::stod(text, &used);
    if (used == text.size()) return out;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// "filtering rule 'r1' (field 'title', regex '(a+)+$')": the values a user
// wrote in Kibana, so that the rule can be found there.
std::string describe(const BasicRule& r) {
  return "filtering rule '" + r.id + "' (field '" + r.field + "', " + r.rule + " '" + r.value +
         "')";
}

}  // namespace

BasicRules BasicRules::from_filtering(const nlohmann::json& filtering) {
  BasicRules out;
  if (!filtering.is_object() || !filtering.contains("rules") || !filtering["rules"].is_array())
    return out;
  for (const auto& raw : filtering["rules"]) {
    BasicRule r;
    r.id = raw.value("id", "");
    if (r.id == "DEFAULT") continue;
    std::string policy = raw.value("policy", "include");
    r.include = policy != "exclude";
    r.field = raw.value("field", "");
    r.rule = raw.value("rule", "");
    r.value = raw.contains("value") ? text_of(raw["value"]) : "";
    r.order = raw.value("order", 0);
    std::string where = describe(r);
    if (r.field.empty()) throw ConfigError("filtering", where + " has no field");
    if (std::find(kRules.begin(), kRules.end(), r.rule) == kRules.end()) {
      throw ConfigError("filtering", where + " has an unknown rule '" + r.rule + "'");
    }
    if (policy != "include" && policy != "exclude") {
      throw ConfigError("filtering", where + " has an unknown policy '" + policy + "'");
    }
    Compiled compiled{r, {}};
    if (r.rule == "regex") {
      try {
        compiled.regex = std::make_shared<const PythonRegex>(r.value);
      } catch (const RegexError& e) {
        throw ConfigError("filtering", where + ": the regex does not compile: " + e.what() +
                                           " at offset " + std::to_string(e.offset()));
      }
    }
    out.rules_.push_back(std::move(compiled));
  }
  std::stable_sort(out.rules_.begin(), out.rules_.end(), [](const Compiled& a, const Compiled& b) {
    return a.rule.order < b.rule.order;
  });
  return out;
}

bool BasicRules::matches(const Compiled& c, const nlohmann::json& value) {
  const BasicRule& r = c.rule;
  std::string text = text_of(value);
  if (r.rule == "contains") return text.find(r.value) != std::string::npos;
  if (r.rule == "starts_with") return text.starts_with(r.value);
  if (r.rule == "ends_with") return text.ends_with(r.value);
  if (r.rule == "regex") return c.regex->match(text);
  if (value.is_number()) {
    auto rule_number = number_of(r.value);
    if (rule_number) {
      double v = value.get<double>();
      if (r.rule == "equals") return v == *rule_number;
      if (r.rule == ">") return v > *rule_number;
      if (r.rule == "<") return v < *rule_number;
    }
  }
  if (r.rule == "equals") return text == r.value;
  if (r.rule == ">") return text > r.value;
  if (r.rule == "<") return text < r.value;
  return false;
}

bool BasicRules::should_ingest(const nlohmann::json& fields) const {
  for (const auto& c : rules_) {
    auto it = fields.find(c.rule.field);
    if (it == fields.end() || it->is_null()) continue;  // a missing field never matches
    bool matched = false;
    try {
      matched = matches(c, *it);
    } catch (const RegexLimitError& e) {
      std::string document =
          fields.contains("id") ? " on document '" + text_of(fields["id"]) + "'" : "";
      throw ConfigError("filtering", describe(c.rule) + document + ": " + e.what());
    }
    if (matched) return c.rule.include;
  }
  return true;
}

}  // namespace connectors::sync
