// `connectors login`: asks for the host and credentials, checks them with
// GET /, and saves them (mode 0600) where the other commands look first.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cli/commands/commands.h"
#include "cli/commands/output.h"

namespace connectors::cli {
namespace {

namespace fs = std::filesystem;

struct LoginArgs {
  std::string host;
  std::string method;  // basic | apikey; empty = basic unless --api-key
  std::string username;
  std::string password;
  std::string api_key;
  bool force = false;
};

std::string ask(const std::string& question, const std::string& fallback, const char* option) {
  auto answer = prompt_line(question + (fallback.empty() ? ": " : " [" + fallback + "]: "), std::cin, std::cerr);
  if (!answer) throw ConfigError(option, std::string("no value for ") + option + " (end of input)");
  return answer->empty() ? fallback : *answer;
}

std::string ask_secret(const std::string& question, const char* option) {
  auto answer = prompt_secret(question + ": ", std::cin, std::cerr);
  if (!answer || answer->empty()) throw ConfigError(option, std::string("no value for ") + option);
  return *answer;
}

std::string login_yaml(const LoginArgs& a) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "elasticsearch" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "host" << YAML::Value << a.host;
  if (a.method == "apikey") {
    out << YAML::Key << "api_key" << YAML::Value << a.api_key;
  } else {
    out << YAML::Key << "username" << YAML::Value << a.username;
    out << YAML::Key << "password" << YAML::Value << a.password;
  }
  out << YAML::EndMap << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

// Writes `text` to `path` readable by the owner only: a 0600 temporary file
// next to it, renamed over it, so that no other mode is ever visible.
void write_private(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path());
    if (path.parent_path().filename() == ".cli") {
      fs::permissions(path.parent_path(), fs::perms::owner_all, fs::perm_options::replace);
    }
  }
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw CommandError("cannot write " + tmp.string() + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  size_t done = 0;
  while (ok && done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw CommandError("cannot write " + path.string() + ": " + std::strerror(err));
  }
}

int run_login(LoginArgs a, const GlobalOptions& global) {
  logging::setup(global.log.filebeat ? logging::Format::kEcsJson : logging::Format::kText,
                 global.log.debug ? spdlog::level::debug
                                  : logging::parse_level(global.log.level).value_or(spdlog::level::warn));
  if (a.method.empty()) a.method = a.api_key.empty() ? "basic" : "apikey";
  if (a.method == "apikey" && (!a.username.empty() || !a.password.empty())) {
    throw ConfigError("--method", "--username/--password go with --method basic, not apikey");
  }
  if (a.method == "basic" && !a.api_key.empty()) {
    throw ConfigError("--method", "--api-key goes with --method apikey, not basic");
  }
  fs::path target = global.config_file.empty() ? fs::path(kLoginConfigPath) : fs::path(global.config_file);
  std::error_code ec;
  if (fs::exists(target, ec) && !a.force &&
      !confirm("Config file " + target.string() + " already exists. Overwrite it?", std::cin, std::cerr)) {
    std::cerr << "Not logged in: " << target.string() << " left as it was (use --force to overwrite).\n";
    return 1;
  }

  if (a.host.empty()) a.host = ask("Elasticsearch host", "http://localhost:9200", "--host");
  if (a.method == "apikey") {
    if (a.api_key.empty()) a.api_key = ask_secret("API key", "--api-key");
    logging::register_secret(a.api_key);
  } else {
    if (a.username.empty()) a.username = ask("Username", "elastic", "--username");
    if (a.password.empty()) a.password = ask_secret("Password", "--password");
    logging::register_secret(a.password);
  }

  config::ElasticsearchConfig es;
  es.host = a.host;
  if (a.method == "apikey") {
    es.api_key = Secret(a.api_key);
  } else {
    es.username = a.username;
    es.password = Secret(a.password);
  }
  auto options = es::client_options_from(es);
  options.max_retries = 0;
  options.transport.timeout = std::chrono::seconds(30);
  es::EngineInfo info;
  try {
    es::Client client(options);
    info = client.info();
  } catch (const es::EsError& e) {
    std::string why = e.status() == 401 ? "authentication failed" : e.what();
    throw CommandError("cannot log in to " + a.host + ": " + why);
  }

  write_private(target, login_yaml(a));
  std::cout << "Connected to " << (info.flavour == es::Flavour::kOpenSearch ? "OpenSearch " : "Elasticsearch ")
            << info.version << (info.cluster_name.empty() ? "" : " (cluster " + info.cluster_name + ")")
            << " at " << a.host << " as "
            << (a.method == "apikey" ? std::string("an API key") : "user " + a.username) << ".\n"
            << "Saved the credentials to " << target.string() << " (mode 0600).\n";
  return 0;
}

}  // namespace

Runner add_login_command(CLI::App& app, std::shared_ptr<GlobalOptions> global) {
  auto args = std::make_shared<LoginArgs>();
  auto* cmd = app.add_subcommand(
      "login", "Save the Elasticsearch host and credentials to .cli/config.yml (or -c FILE), after checking them");
  cmd->add_option("--host", args->host, "Elasticsearch URL (prompted for when missing)");
  cmd->add_option("--method", args->method, "How to authenticate: basic (default) or apikey")
      ->check(CLI::IsMember({"basic", "apikey"}));
  cmd->add_option("--username", args->username, "User for basic authentication (prompted for when missing)");
  cmd->add_option("--password", args->password,
                  "Password for basic authentication (prompted for, without echo, when missing)");
  cmd->add_option("--api-key", args->api_key, "Encoded API key for --method apikey (prompted for when missing)");
  cmd->add_flag("-f,--force", args->force, "Overwrite an existing config file without asking");
  return [cmd, args, global]() -> int {
    if (!cmd->parsed()) return -1;
    return run_guarded("login", [&] { return run_login(*args, *global); });
  };
}

}  // namespace connectors::cli
