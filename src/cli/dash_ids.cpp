#include "cli/dash_ids.h"

#include <algorithm>

namespace connectors::cli {
namespace {

// The option named exactly `token` ("-i", "--connector-id") in `app` or, since
// options fall through, in one of its parents.
const CLI::Option* find_option(const CLI::App* app, const std::string& token) {
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* opt : app->get_options()) {
      if (token.rfind("--", 0) == 0) {
        if (opt->check_lname(token.substr(2))) return opt;
      } else if (token.size() == 2 && token[0] == '-' && opt->check_sname(token.substr(1))) {
        return opt;
      }
    }
  }
  return nullptr;
}

// The subcommand of `app` named `token`, if there is one.
const CLI::App* find_subcommand(const CLI::App* app, const std::string& token) {
  for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(token)) return sub;
  }
  return nullptr;
}

bool base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

bool is_dash_id(const CLI::App& app, const std::string& token) {
  if (token.size() != 20 || token[0] != '-') return false;
  if (!std::all_of(token.begin(), token.end(), base64url)) return false;
  return find_option(&app, token) == nullptr;
}

std::vector<std::string> protect_dash_ids(const CLI::App& app, std::vector<std::string> args) {
  std::vector<std::string> out;
  std::vector<std::string> positionals;
  const CLI::App* command = &app;  // the (sub)command the arguments so far selected
  auto marker = std::find(args.begin(), args.end(), "--");
  for (auto it = args.begin(); it != marker; ++it) {
    if (const CLI::App* sub = find_subcommand(command, *it)) command = sub;
    if (!is_dash_id(*command, *it)) {
      out.push_back(*it);
      continue;
    }
    const CLI::Option* previous = out.empty() ? nullptr : find_option(command, out.back());
    if (previous != nullptr && previous->get_type_size_max() > 0) {
      // `-i -Xc9…` → `--connector-id=-Xc9…` (or `-i-Xc9…` for a short-only option).
      const auto& longs = previous->get_lnames();
      out.back() = longs.empty() ? out.back() + *it : "--" + longs.front() + "=" + *it;
    } else {
      positionals.push_back(*it);
    }
  }
  if (!positionals.empty() || marker != args.end()) out.emplace_back("--");
  out.insert(out.end(), positionals.begin(), positionals.end());
  if (marker != args.end()) out.insert(out.end(), marker + 1, args.end());
  return out;
}

}  // namespace connectors::cli
