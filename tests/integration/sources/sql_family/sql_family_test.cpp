// name: SQL family (PostgreSQL and MySQL, natively and through ODBC)
// description: one suite for the SQL sources, run four ways: the native
// postgresql and mysql sources, and the ODBC layer with dialects that read as
// they do (odbc_dialects.h) through Debian's odbc-postgresql and odbc-mariadb,
// against servers started by tests/servers/{postgresql,mysql}.sh. Each engine
// has one expected set of documents, which both ways of reading must give.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "core/errors.h"
#include "odbc_dialects.h"
#include "sources/odbc/result_reader.h"
#include "sources/registry.h"
#include "sql_admin.h"
#include "sql_server_support.h"

namespace connectors {
namespace {

using json = nlohmann::json;
namespace odbc = sources::odbc;
using testing::CollectSink;
using testing::SqlServer;

struct Backend {
  std::string engine;  // "postgresql" or "mysql"
  bool odbc;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.engine + (info.param.odbc ? "_odbc" : "_native");
}

const char* kPostgresFixture = R"sql(
CREATE TABLE customers (name varchar(255) PRIMARY KEY, age int, description text);
INSERT INTO customers SELECT 'user_' || i, 20 + i % 30, 'about user ' || i FROM generate_series(1, 30) i;
CREATE TABLE nopk (a int, b text);
INSERT INTO nopk VALUES (1, 'x'), (2, 'y');
CREATE TABLE big (id int PRIMARY KEY, payload text);
INSERT INTO big SELECT i, repeat('x', 4000) FROM generate_series(1, 2000) i;
CREATE TABLE orders (order_id int, line int, item text, PRIMARY KEY (order_id, line));
INSERT INTO orders VALUES (1, 1, 'pen'), (1, 2, 'ink'), (2, 1, 'pad');
CREATE TABLE empty_t (id int PRIMARY KEY);
CREATE TABLE kinds (id int PRIMARY KEY, wide numeric(38,10), plain numeric(10,2),
  d double precision, name varchar(40), body text, day date, at timestamp, bin bytea, big bigint);
INSERT INTO kinds VALUES (1, '1234567890123456789012345678.0123456789', 12.50, 2.5e-7,
  'héllo "wörld" 日本', repeat('ab', 15000), '2023-05-10', '2023-05-10 12:34:56.789',
  '\x00ff41', 9223372036854775807);
INSERT INTO kinds (id) VALUES (2);
INSERT INTO kinds (id, name) VALUES (0, 'zero key');
)sql";

const char* kMysqlFixture[] = {
    "SET NAMES utf8mb4",
    "CREATE TABLE customers (name VARCHAR(255) PRIMARY KEY, age INT, description LONGTEXT)",
    "INSERT INTO customers SELECT CONCAT('user_', seq), 20 + seq % 30, CONCAT('about user ', seq) "
    "FROM seq_1_to_30",
    "CREATE TABLE nopk (a INT, b TEXT)",
    "INSERT INTO nopk VALUES (1, 'x'), (2, 'y')",
    "CREATE TABLE big (id INT PRIMARY KEY, payload TEXT)",
    "INSERT INTO big SELECT seq, REPEAT('x', 4000) FROM seq_1_to_2000",
    "CREATE TABLE orders (order_id INT, line INT, item TEXT, PRIMARY KEY (order_id, line))",
    "INSERT INTO orders VALUES (1, 1, 'pen'), (1, 2, 'ink'), (2, 1, 'pad')",
    "CREATE TABLE empty_t (id INT PRIMARY KEY)",
    "CREATE TABLE kinds (id INT PRIMARY KEY, wide DECIMAL(38,10), plain DECIMAL(10,2), d DOUBLE, "
    "name VARCHAR(40) CHARACTER SET utf8mb4, body LONGTEXT, day DATE, at DATETIME(3), bin BLOB, "
    "big BIGINT)",
    "INSERT INTO kinds VALUES (1, 1234567890123456789012345678.0123456789, 12.50, 2.5e-7, "
    "'h\xc3\xa9llo \"w\xc3\xb6rld\" \xe6\x97\xa5\xe6\x9c\xac', REPEAT('ab', 15000), '2023-05-10', "
    "'2023-05-10 12:34:56.789', x'00FF41', 9223372036854775807)",
    "INSERT INTO kinds (id) VALUES (2)",
    "INSERT INTO kinds (id, name) VALUES (0, 'zero key')",
};

class SqlFamily : public ::testing::TestWithParam<Backend> {
 protected:
  static void TearDownTestSuite() {
    for (auto& [engine, server] : servers()) delete server;
    servers().clear();
  }

  // The engine's server, started and loaded once per suite.
  static SqlServer& server(const std::string& engine) {
    auto& s = servers()[engine];
    if (!s) {
      s = new SqlServer(engine);
      auto admin = testing::admin_of(engine, *s);
      if (engine == "postgresql") {
        admin->run(kPostgresFixture);
      } else {
        for (const char* statement : kMysqlFixture) admin->run(statement);
      }
    }
    return *s;
  }
  static std::map<std::string, SqlServer*>& servers() {
    static std::map<std::string, SqlServer*> all;
    return all;
  }

  const std::string& engine() const { return GetParam().engine; }
  bool pg() const { return engine() == "postgresql"; }
  SqlServer& db() { return server(engine()); }

  json config(json overrides = json::object()) {
    auto& s = db();
    json values = {{"host", s["host"]},
                   {"port", s.port()},
                   {pg() ? "username" : "user", s["user"]},
                   {"password", s["password"]},
                   {"database", s["database"]},
                   {"tables", "*"}};
    values.update(overrides);
    return values;
  }

  std::unique_ptr<sources::Source> source(const json& values) {
    if (GetParam().odbc) return testing::make_odbc_source(engine(), values);
    return sources::make_source(engine(), values);
  }

  CollectSink sync(const json& values, std::stop_token stop = {}) {
    auto s = source(values);
    CollectSink sink;
    s->documents(sink, stop);
    return sink;
  }

  // The engine's names: "xe_public_customers_user_5_" / "customers_user_5".
  std::string id(const std::string& table, const std::string& keys) const {
    if (pg()) return "xe_public_" + table + "_" + keys + (keys.empty() ? "" : "_");
    return table + (keys.empty() ? "" : "_" + keys);
  }
  std::string column(const std::string& table, const std::string& name) const {
    return pg() ? "public_" + table + "_" + name : name;
  }
  json fields(const std::string& table, const json& columns) const {
    json out = json::object();
    for (const auto& [key, value] : columns.items()) out[column(table, key)] = value;
    if (pg()) {
      out["Database"] = "xe";
      out["schema"] = "public";
    }
    out["Table"] = table;
    return out;
  }
  std::string skipped_nopk() const {
    return pg() ? "postgresql: table public.nopk of database xe was skipped because it has no "
                  "primary key"
                : "mysql: table nopk of database customerinfo was skipped because it has no "
                  "primary key";
  }
};

TEST_P(SqlFamily, EveryTableExceptThoseWithoutPrimaryKey) {
  auto sink = sync(config());
  std::map<std::string, int> per_table;
  for (const auto& d : sink.docs) per_table[d.fields["Table"].get<std::string>()]++;
  EXPECT_EQ(per_table["customers"], 30);
  EXPECT_EQ(per_table["big"], 2000);
  EXPECT_EQ(per_table["orders"], 3);
  EXPECT_EQ(per_table["kinds"], 3);
  EXPECT_EQ(per_table.count("nopk"), 0u) << "no primary key: skipped, as the framework does";
  EXPECT_EQ(per_table.count("empty_t"), 0u);
  EXPECT_TRUE(sink.warned(skipped_nopk())) << ::testing::PrintToString(sink.warnings);
  EXPECT_EQ(sink.warnings.size(), 1u) << ::testing::PrintToString(sink.warnings);
  const auto* customer = sink.find(id("customers", "user_5"));
  ASSERT_NE(customer, nullptr);
  EXPECT_EQ(
      customer->fields,
      fields("customers", {{"name", "user_5"}, {"age", 25}, {"description", "about user 5"}}));
  const auto* line = sink.find(id("orders", pg() ? "1_2" : "1_2"));
  ASSERT_NE(line, nullptr) << "composite keys join in key order";
  EXPECT_EQ(line->fields[column("orders", "item")], "ink");
}

TEST_P(SqlFamily, ValuesOfEachKindAndNulls) {
  auto sink = sync(config({{"tables", "kinds"}}));
  ASSERT_EQ(sink.docs.size(), 3u);
  const auto* full = sink.find(id("kinds", "1"));
  const auto* nulls = sink.find(id("kinds", "2"));
  // generic_database@8.8 drops the falsy key 0 from the id; mysql's generate_id keeps it.
  const auto* zero = sink.find(pg() ? id("kinds", "") : id("kinds", "0"));
  ASSERT_TRUE(full && nulls && zero);
  std::string body;
  for (int i = 0; i < 15000; ++i) body += "ab";
  json expected =
      fields("kinds", {{"id", 1},
                       {"wide", "1234567890123456789012345678.0123456789"},
                       {"plain", 12.5},
                       {"d", 2.5e-7},
                       {"name", "h\xc3\xa9llo \"w\xc3\xb6rld\" \xe6\x97\xa5\xe6\x9c\xac"},
                       {"body", body},
                       {"day", "2023-05-10"},
                       {"at", "2023-05-10T12:34:56.789000"},
                       {"bin", "AP9B"},
                       {"big", 9223372036854775807LL}});
  for (const auto& [key, value] : expected.items()) {
    EXPECT_TRUE(full->fields.contains(key) && full->fields[key] == value)
        << key << ": " << full->fields.value(key, json()).dump().substr(0, 200);
  }
  EXPECT_EQ(full->fields.size(), expected.size());
  EXPECT_EQ(full->fields[column("kinds", "plain")].dump(), "12.5");
  ASSERT_EQ(nulls->fields.size(), expected.size());
  for (const auto& [key, value] : nulls->fields.items()) {
    if (key == column("kinds", "id")) {
      EXPECT_EQ(value, 2);
    } else if (key != "Database" && key != "Table" && key != "schema") {
      EXPECT_TRUE(value.is_null()) << key;
    }
  }
  EXPECT_EQ(zero->fields[column("kinds", "name")], "zero key");
  EXPECT_EQ(nulls->timestamp, full->timestamp) << "one time per table, as in the framework";
}

TEST_P(SqlFamily, ReadsEveryRowInBatchesOfFetchSize) {
  auto sink = sync(config({{"tables", "big"}, {"fetch_size", 7}}));
  EXPECT_EQ(sink.docs.size(), 2000u);
  std::set<std::string> ids;
  for (const auto& d : sink.docs) ids.insert(d.id);
  EXPECT_EQ(ids.size(), 2000u);
  EXPECT_TRUE(ids.count(id("big", "2000")));
}

TEST_P(SqlFamily, BadPasswordNamesUserAndHostButNotThePassword) {
  auto s = source(config({{"password", "Wrong_Secret_987"}}));
  auto started = std::chrono::steady_clock::now();
  try {
    s->ping({});
    FAIL() << "ping succeeded with a wrong password";
  } catch (const SourceError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("'" + db()["user"] + "'"), std::string::npos) << message;
    EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
    EXPECT_NE(message.find(pg() ? "password authentication failed" : "Access denied"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("Wrong_Secret_987"), std::string::npos) << message;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2))
      << "a bad password is not retried";
}

TEST_P(SqlFamily, AMissingConfiguredTableIsNamed) {
  auto s = source(config({{"tables", "customers, no_such_table"}}));
  CollectSink sink;
  try {
    s->documents(sink, {});
    FAIL() << "no error for a missing table";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("The tables 'no_such_table' are either not present"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(sink.docs.empty()) << "nothing is sent before the check";
}

TEST_P(SqlFamily, AStopEndsTheSyncPromptly) {
  std::stop_source stop;
  CollectSink sink;
  sink.on_emit = [&](const sources::Document&) {
    if (sink.docs.size() == 5) stop.request_stop();
  };
  auto s = source(config({{"tables", "big"}, {"fetch_size", 10}}));
  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(s->documents(sink, stop.get_token()), Cancelled);
  EXPECT_LT(sink.docs.size(), 20u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

// The framework's TDS stream corruption (issue #3723) came from retrying on
// the connection that broke: a read cut part-way starts over on a new one.
TEST_P(SqlFamily, AConnectionKilledMidStreamIsRetriedOnAFreshConnection) {
  if (GetParam().odbc && !pg()) {
    GTEST_SKIP() << "MariaDB's ODBC driver has read the whole result before the first row: "
                    "nothing is left to cut (the PostgreSQL case runs the ODBC retry)";
  }
  auto admin = testing::admin_of(engine(), db());
  std::string kill =
      pg() ? "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
             "pg_backend_pid() AND datname = 'xe' AND state IS NOT NULL AND backend_type = "
             "'client backend'"
           : "";
  // The source's session: the other one of the test database that is not idle.
  std::string kill_mysql =
      "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND DB = "
      "'customerinfo' AND COMMAND <> 'Sleep'";
  int killed = 0;
  CollectSink sink;
  sink.on_emit = [&](const sources::Document&) {
    if (sink.docs.size() != 100 || killed > 0) return;
    if (pg()) {
      admin->run(kill);
    } else {
      std::string victim = admin->run(kill_mysql);
      ASSERT_FALSE(victim.empty());
      admin->run("KILL " + victim);
    }
    ++killed;
  };
  auto s = source(config({{"tables", "big"}, {"fetch_size", 10}, {"retry_count", 2}}));
  s->documents(sink, {});
  EXPECT_EQ(killed, 1);
  std::set<std::string> ids;
  for (const auto& d : sink.docs) ids.insert(d.id);
  EXPECT_EQ(ids.size(), 2000u) << "every row, once the read started over";
  EXPECT_GT(sink.docs.size(), 2000u) << "the rows before the cut were sent again";

  // With a single attempt the cut is the job's error.
  killed = 0;
  CollectSink once;
  once.on_emit = [&](const sources::Document&) {
    if (once.docs.size() != 100 || killed > 0) return;
    if (pg()) {
      admin->run(kill);
    } else {
      admin->run("KILL " + admin->run(kill_mysql));
    }
    ++killed;
  };
  auto single = source(config({{"tables", "big"}, {"fetch_size", 10}, {"retry_count", 1}}));
  EXPECT_THROW(single->documents(once, {}), SourceError);
}

INSTANTIATE_TEST_SUITE_P(Postgresql, SqlFamily,
                         ::testing::Values(Backend{"postgresql", false},
                                           Backend{"postgresql", true}),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Mysql, SqlFamily,
                         ::testing::Values(Backend{"mysql", false}, Backend{"mysql", true}),
                         backend_name);

// Through ODBC, the native sources' documents exactly: fields, ids and timestamps.
class SqlFamilyOdbc : public SqlFamily {};

TEST_P(SqlFamilyOdbc, TheSameDocumentsAsTheNativeSource) {
  auto values = config({{"tables", "customers, orders, kinds, big"}});
  auto native = sources::make_source(engine(), values);
  auto odbc = testing::make_odbc_source(engine(), values);
  CollectSink a, b;
  native->documents(a, {});
  odbc->documents(b, {});
  ASSERT_EQ(a.docs.size(), b.docs.size());
  ASSERT_EQ(a.docs.size(), 2036u);
  for (size_t i = 0; i < a.docs.size(); ++i) {
    const auto* other = b.find(a.docs[i].id);
    ASSERT_NE(other, nullptr) << a.docs[i].id;
    EXPECT_EQ(other->fields, a.docs[i].fields) << a.docs[i].id;
    EXPECT_EQ(other->timestamp, a.docs[i].timestamp) << a.docs[i].id;
  }
}

// One SQLFetch brings fetch_size rows; a long (text) column is read per row
// of the rowset with SQLGetData when the driver can, else rowsets are one row.
TEST_P(SqlFamilyOdbc, FetchesRowArraysOfFetchSize) {
  auto& s = db();
  odbc::Environment env;
  odbc::ConnectionString cs;
  std::string driver = pg() ? "PostgreSQL Unicode" : "MariaDB Unicode";
  cs.set("DRIVER", driver).set("SERVER", "127.0.0.1").set("PORT", s["port"]);
  cs.set("DATABASE", s["database"]).set("UID", s["user"]).set_secret("PWD", Secret(s["password"]));
  odbc::Connection connection(env, cs, "test", s["password"]);
  {
    odbc::Statement statement(connection);
    statement.execute("SELECT id FROM big ORDER BY id", "ids");
    odbc::ResultReader reader(statement, 50, "ids");
    EXPECT_EQ(reader.rowset_size(), 50u);
    size_t total = 0, calls = 0;
    while (size_t rows = reader.fetch()) {
      EXPECT_EQ(rows, 50u);
      EXPECT_EQ(reader.text(0, 0), std::to_string(total + 1));
      total += rows;
      ++calls;
    }
    EXPECT_EQ(total, 2000u);
    EXPECT_EQ(calls, 40u);
  }
  {
    odbc::Statement statement(connection);
    statement.execute("SELECT id, payload FROM big ORDER BY id", "rows");
    // Positioned reads where the dialect trusts them (psqlODBC), else a row per fetch.
    odbc::ResultReader reader(statement, 50, "rows", {}, pg());
    EXPECT_EQ(reader.rowset_size(), pg() && connection.get_data_in_blocks() ? 50u : 1u)
        << connection.dbms();
    size_t total = 0;
    while (size_t rows = reader.fetch()) {
      for (size_t r = 0; r < rows; ++r) {
        ASSERT_EQ(reader.text(r, 0), std::to_string(total + r + 1));
        ASSERT_EQ(reader.text(r, 1).size(), 4000u);
      }
      total += rows;
    }
    EXPECT_EQ(total, 2000u);
  }
}

INSTANTIATE_TEST_SUITE_P(Postgresql, SqlFamilyOdbc, ::testing::Values(Backend{"postgresql", true}),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Mysql, SqlFamilyOdbc, ::testing::Values(Backend{"mysql", true}),
                         backend_name);

}  // namespace
}  // namespace connectors
