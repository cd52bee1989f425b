// Helpers of the SQL source integration tests: a real database server started
// for the test by tests/servers/<name>.sh (stopped again by the destructor, and
// by the script's watchdog if the test process dies), and a sink that keeps
// the documents. No search engine is involved.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sources/source.h"

namespace connectors::testing {

class SqlServer {
 public:
  // `script` is "postgresql" or "mysql"; `env` like "PG_SSL=1".
  explicit SqlServer(const std::string& script, const std::string& env = "") : script_(script) {
    std::string command = env + " SERVER_OWNER_PID=" + std::to_string(::getpid()) + " bash " +
                          std::string(REPO_ROOT) + "/tests/servers/" + script + ".sh start";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
    std::string output;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    int status = ::pclose(pipe);
    std::istringstream words(output);
    for (std::string word; words >> word;) {
      auto eq = word.find('=');
      if (eq != std::string::npos) facts_[word.substr(0, eq)] = word.substr(eq + 1);
    }
    if (status != 0 || !facts_.count("port") || !facts_.count("dir")) {
      throw std::runtime_error(script + ".sh start failed (status " + std::to_string(status) +
                               "): " + output);
    }
  }
  ~SqlServer() {
    std::string command = "bash " + std::string(REPO_ROOT) + "/tests/servers/" + script_ +
                          ".sh stop " + facts_["dir"];
    if (std::system(command.c_str()) != 0)
      std::fprintf(stderr, "could not stop %s\n", script_.c_str());
  }
  SqlServer(const SqlServer&) = delete;
  SqlServer& operator=(const SqlServer&) = delete;

  // host, port, user, password, database, dir, ca (with SSL).
  const std::string& operator[](const std::string& key) const { return facts_.at(key); }
  int port() const { return std::stoi(facts_.at("port")); }

 private:
  std::string script_;
  std::map<std::string, std::string> facts_;
};

class CollectSink final : public sources::DocumentSink {
 public:
  void emit(sources::Document document) override {
    if (on_emit) on_emit(document);
    docs.push_back(std::move(document));
  }
  void warn(std::string message) override { warnings.push_back(std::move(message)); }

  // Whether one of the warnings holds `text`.
  bool warned(const std::string& text) const {
    for (const auto& w : warnings) {
      if (w.find(text) != std::string::npos) return true;
    }
    return false;
  }

  const sources::Document* find(const std::string& id) const {
    for (const auto& d : docs) {
      if (d.id == id) return &d;
    }
    return nullptr;
  }

  std::vector<sources::Document> docs;
  std::function<void(const sources::Document&)> on_emit;
  std::vector<std::string> warnings;
};

inline std::string read_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw std::runtime_error("cannot read " + path);
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, n);
  std::fclose(f);
  return out;
}

// A PEM pasted into a one-line text box: newlines became spaces.
inline std::string one_line(std::string pem) {
  for (auto& c : pem) {
    if (c == '\n') c = ' ';
  }
  return pem;
}

}  // namespace connectors::testing
