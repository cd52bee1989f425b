// Reads one PostgreSQL table into documents, through the native postgresql
// source or through the ODBC layer (psqlODBC, with the SQL-family tests'
// dialect, which reads as the native source does), and prints what it cost:
// documents, CPU seconds (user + system) and peak RSS of this process. The
// documents are built whole (values converted, JSON fields made) and dropped.
// Used by bench/odbc/run.sh.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "sources/postgresql/postgresql_source.h"
#include "sources/sql_family/odbc_dialects.h"

namespace {

class CountingSink final : public connectors::sources::DocumentSink {
 public:
  void emit(connectors::sources::Document document) override {
    ++docs;
    bytes += document.id.size() + document.fields.size();
  }
  void warn(std::string message) override {
    std::fprintf(stderr, "warning: %s\n", message.c_str());
  }
  long long docs = 0;
  size_t bytes = 0;
};

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Reads a PostgreSQL table natively or through ODBC; prints CPU and peak RSS"};
  std::string via = "native", host = "127.0.0.1", user, password, database, table;
  int port = 5432;
  long long fetch_size = 500;
  app.add_option("--via", via, "native or odbc")->check(CLI::IsMember({"native", "odbc"}));
  app.add_option("--host", host);
  app.add_option("--port", port);
  app.add_option("--user", user)->required();
  app.add_option("--password", password)->required();
  app.add_option("--database", database)->required();
  app.add_option("--table", table)->required();
  app.add_option("--fetch-size", fetch_size);
  CLI11_PARSE(app, argc, argv);

  nlohmann::json values = {
      {"host", host},         {"port", port},    {"username", user},        {"password", password},
      {"database", database}, {"tables", table}, {"fetch_size", fetch_size}};
  std::unique_ptr<connectors::sources::Source> source;
  if (via == "odbc") {
    source = connectors::testing::make_odbc_source("postgresql", values);
  } else {
    auto descriptor = connectors::sources::postgresql_descriptor();
    connectors::sources::Configuration c(descriptor.schema(), values);
    c.validate();
    source = descriptor.create(c);
  }
  CountingSink sink;
  auto started = std::chrono::steady_clock::now();
  source->documents(sink, {});
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  nlohmann::json out = {{"via", via},
                        {"documents", sink.docs},
                        {"wall_seconds", wall},
                        {"cpu_seconds", cpu},
                        {"cpu_us_per_row", sink.docs ? cpu * 1e6 / sink.docs : 0.0},
                        {"peak_rss_mib", usage.ru_maxrss / 1024.0}};
  std::printf("%s\n", out.dump().c_str());
  return sink.docs > 0 ? 0 : 1;
}
