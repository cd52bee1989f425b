// name: MySQL source against a real server
// description: a MariaDB server started by tests/servers/mysql.sh with the
// framework fixture's credentials; documents checked field by field against
// what connectors-python@8.8 (aiomysql) builds from the same rows. What every
// SQL source does alike is in sources/sql_family/; here what is MySQL's own.
#include <gtest/gtest.h>
#include <mysql.h>

#include <chrono>
#include <set>

#include "core/errors.h"
#include "sources/registry.h"
#include "sources/sql/advanced_rules.h"
#include "sql_admin.h"
#include "sql_server_support.h"

namespace connectors {
namespace {

using json = nlohmann::json;
using testing::CollectSink;
using testing::SqlServer;

const char* kFixture[] = {
    "SET time_zone = '+00:00'",
    "CREATE TABLE odd (id INT PRIMARY KEY, flag BOOL, tiny TINYINT, big BIGINT UNSIGNED, "
    "price DECIMAL(10,3), f FLOAT, d DOUBLE, code CHAR(5), name VARCHAR(40), body TEXT, "
    "bin BLOB, fixed BINARY(3), day DATE, zero_day DATE, at DATETIME(3), at_plain DATETIME, "
    "stamp TIMESTAMP NULL, span TIME, yr YEAR, doc JSON, pick ENUM('a','b'), tags SET('x','y'), "
    "bits BIT(3))",
    "INSERT INTO odd VALUES (1, TRUE, -5, 18446744073709551615, 1234.5, 1.1, 2.5e-7, 'ab', "
    "'h\xc3\xa9llo', 'long text', x'00FF41', 'abc', '2023-05-10', '0000-00-00', "
    "'2023-05-10 12:34:56.789', '2023-05-10 12:34:56', '2023-05-10 12:34:56', '838:59:59', 2023, "
    "'{\"a\": 1}', 'b', 'x,y', b'101')",
    "INSERT INTO odd (id) VALUES (2)",
    "INSERT INTO odd (id, name) VALUES (0, 'zero key')",
    "CREATE TABLE customers (name VARCHAR(255) PRIMARY KEY, age INT, description LONGTEXT)",
    "INSERT INTO customers SELECT CONCAT('user_', seq), 20 + seq % 30, CONCAT('about user ', seq) "
    "FROM seq_1_to_30",
    "CREATE TABLE nopk (a INT, b TEXT)",
    "INSERT INTO nopk VALUES (1, 'x'), (2, 'y')",
    "CREATE TABLE big (id INT PRIMARY KEY, payload TEXT)",
    "INSERT INTO big SELECT seq, REPEAT('x', 4000) FROM seq_1_to_2000",
    "CREATE TABLE orders (order_id INT, line INT, item TEXT, PRIMARY KEY (order_id, line))",
    "INSERT INTO orders VALUES (1, 1, 'pen'), (1, 2, 'ink'), (2, 1, 'pad')",
    "CREATE TABLE lossless (id INT PRIMARY KEY, wide DECIMAL(38,10), plain DECIMAL(10,2), "
    "vb VARBINARY(8), bl BLOB, text_bin VARBINARY(8), flags BIT(8), ubig BIGINT UNSIGNED, "
    "stamp TIMESTAMP NULL, g GEOMETRY)",
    "SET time_zone = '+02:00'",
    "INSERT INTO lossless VALUES (1, 1234567890123456789012345678.0123456789, 12.50, "
    "x'FFFE00C328', x'808182FF', 'hello', b'10000001', 9007199254740993, "
    "'2023-05-10 12:00:00', ST_GeomFromText('POINT(1 2)'))",
    "INSERT INTO lossless (id, wide, plain) VALUES (2, 0.5, 1)",
    // Sessions that do not set their zone get one that is not UTC: the source sets its own.
    "SET GLOBAL time_zone = '+05:00'",
};

using Admin = testing::MysqlAdmin;

class MysqlSource : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new SqlServer("mysql");
    Admin admin(*server_);
    for (const char* statement : kFixture) admin.run(statement);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static json config(json overrides = json::object()) {
    json values = {{"host", (*server_)["host"]},         {"port", server_->port()},
                   {"user", (*server_)["user"]},         {"password", (*server_)["password"]},
                   {"database", (*server_)["database"]}, {"tables", "*"}};
    values.update(overrides);
    return values;
  }

  static CollectSink sync(const json& values, std::stop_token stop = {}) {
    auto source = sources::make_source("mysql", values);
    CollectSink sink;
    source->documents(sink, stop);
    return sink;
  }

  static SqlServer* server_;
};

SqlServer* MysqlSource::server_ = nullptr;

TEST_F(MysqlSource, OddTypesAndNullsBecomeTheFrameworksDocuments) {
  auto sink = sync(config({{"tables", "odd"}}));
  ASSERT_EQ(sink.docs.size(), 3u);
  const auto* full = sink.find("odd_1");
  const auto* nulls = sink.find("odd_2");
  const auto* zero = sink.find("odd_0");  // generate_id keeps a zero key
  ASSERT_TRUE(full && nulls && zero);
  json expected = json::parse(R"j({
    "id": 1, "flag": 1, "tiny": -5, "big": 18446744073709551615, "price": 1234.5, "f": 1.1,
    "d": 2.5e-07, "code": "ab", "name": "héllo", "body": "long text", "bin": "AP9B",
    "fixed": "abc", "day": "2023-05-10", "zero_day": "0000-00-00",
    "at": "2023-05-10T12:34:56.789000", "at_plain": "2023-05-10T12:34:56",
    "stamp": "2023-05-10T12:34:56", "span": "838:59:59", "yr": 2023, "doc": "{\"a\": 1}",
    "pick": "b", "tags": "x,y", "bits": 5, "Table": "odd"})j");
  EXPECT_EQ(full->fields, expected) << full->fields.dump(2);
  ASSERT_EQ(nulls->fields.size(), expected.size());
  for (const auto& [key, value] : nulls->fields.items()) {
    if (key == "id") {
      EXPECT_EQ(value, 2);
    } else if (key != "Table") {
      EXPECT_TRUE(value.is_null()) << key;
    }
  }
  EXPECT_EQ(zero->fields["name"], "zero key");
  // UPDATE_TIME of the table: naive server time, isoformat()ted.
  ASSERT_EQ(full->timestamp.size(), 19u) << full->timestamp;
  EXPECT_EQ(full->timestamp[10], 'T');
  EXPECT_EQ(nulls->timestamp, full->timestamp);
}

TEST_F(MysqlSource, ValuesKeepTheirInformation) {
  auto sink = sync(config({{"tables", "lossless, nopk"}}));
  ASSERT_EQ(sink.docs.size(), 2u);
  const auto* first = sink.find("lossless_1");
  const auto* second = sink.find("lossless_2");
  ASSERT_TRUE(first && second);
  // MySQL's own geometry value (SRID, then WKB), as the server encodes it.
  std::string point = Admin(*server_).run("SELECT TO_BASE64(g) FROM lossless WHERE id = 1");
  ASSERT_FALSE(point.empty());
  // Python would send 1.2345678901234569e+27, "\u0000(" and "" for the first three.
  json expected = json::parse(R"j({
    "id": 1, "wide": "1234567890123456789012345678.0123456789", "plain": 12.5,
    "vb": "//4Awyg=", "bl": "gIGC/w==", "text_bin": "hello", "flags": 129,
    "ubig": 9007199254740993, "stamp": "2023-05-10T10:00:00", "Table": "lossless"})j");
  expected["g"] = point;
  EXPECT_EQ(first->fields, expected) << first->fields.dump(2);
  EXPECT_EQ(first->fields["ubig"].dump(), "9007199254740993");
  EXPECT_EQ(second->fields["wide"].dump(), "0.5");
  EXPECT_EQ(second->fields["plain"].dump(), "1.0");

  ASSERT_EQ(sink.warnings.size(), 1u) << ::testing::PrintToString(sink.warnings);
  EXPECT_TRUE(
      sink.warned("mysql: table nopk of database customerinfo was skipped because it has "
                  "no primary key"));
}

TEST_F(MysqlSource, StreamsRowsWithoutBufferingTheTable) {
  Admin watcher(*server_);
  std::string state;
  CollectSink sink;
  sink.on_emit = [&](const sources::Document&) {
    if (sink.docs.size() == 10) {
      // 2000 rows of 4 KB do not fit in the socket buffers: while the engine
      // holds a document, the server is still sending the table.
      state = watcher.run(
          "SELECT COMMAND FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT * FROM "
          "`customerinfo`.`big`'");
    }
  };
  auto source = sources::make_source("mysql", config({{"tables", "big"}, {"fetch_size", 7}}));
  source->documents(sink, {});
  EXPECT_EQ(sink.docs.size(), 2000u);
  std::set<std::string> ids;
  for (const auto& d : sink.docs) ids.insert(d.id);
  EXPECT_EQ(ids.size(), 2000u);
  EXPECT_TRUE(ids.count("big_2000"));
  EXPECT_EQ(state, "Query");
}

TEST_F(MysqlSource, AMissingDatabaseIsNamed) {
  auto source = sources::make_source("mysql", config({{"database", "no_such_db"}}));
  CollectSink sink;
  try {
    source->documents(sink, {});
    FAIL() << "no error for a missing database";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("The database 'no_such_db' is either not present or not "
                                         "accessible for the user 'root'."),
              std::string::npos)
        << e.what();
  }
}

TEST_F(MysqlSource, AdvancedRulesRunCustomQueries) {
  auto source = sources::make_source("mysql", config());
  auto* rules = source->advanced_rules();
  ASSERT_NE(rules, nullptr);
  json value = json::parse(R"j([
    {"tables": ["customers"], "query": "SELECT name, age FROM customers WHERE age > 45"},
    {"tables": ["orders", "customers"],
     "query": "SELECT o.order_id, o.line, o.item, c.name FROM orders o JOIN customers c ON c.name = CONCAT('user_', o.order_id)"},
    {"tables": ["nopk"], "query": "SELECT * FROM nopk", "id_columns": ["a"]},
    {"tables": ["customers"], "query": "SELECT age FROM customers"}])j");
  EXPECT_TRUE(rules->validate_advanced_rules(value, {}).valid);
  rules->set_advanced_rules(value);
  CollectSink sink;
  source->documents(sink, {});
  ASSERT_EQ(sink.docs.size(), 9u)
      << "4 customers over 45, 3 order lines, 2 rows of nopk, no key in the last";
  ASSERT_EQ(sink.warnings.size(), 1u) << ::testing::PrintToString(sink.warnings);
  EXPECT_TRUE(
      sink.warned("mysql: the custom query of tables customers was skipped because its "
                  "result lacks a primary key or id_columns column: SELECT age FROM "
                  "customers"));
  const auto* doc = sink.find("customers_user_29");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->fields,
            json({{"name", "user_29"}, {"age", 49}, {"Table", json::array({"customers"})}}));
  // Keys of both tables, sorted (line, name, order_id), after the sorted table names.
  const auto* line = sink.find("customers_orders_2_user_1_1");
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->fields["item"], "ink");
  EXPECT_EQ(line->fields["Table"], json::array({"orders", "customers"}));
  EXPECT_NE(sink.find("nopk_2"), nullptr) << "id_columns stand in for a primary key";

  auto missing = rules->validate_advanced_rules(
      json::parse(R"j([{"tables": ["customers", "nope"], "query": "SELECT 1"}])j"), {});
  EXPECT_FALSE(missing.valid);
  EXPECT_EQ(missing.message, "Tables not found or inaccessible: nope.");
  rules->set_advanced_rules(json::parse(R"j([{"tables": ["nope"], "query": "SELECT 1"}])j"));
  CollectSink none;
  EXPECT_THROW(source->documents(none, {}), SourceError);
}

TEST(MysqlSourceSsl, VerifiesTheServerWithTheConfiguredCertificate) {
  SqlServer server("mysql", "MYSQL_SSL=1");
  Admin(server).run("CREATE TABLE t (id INT PRIMARY KEY)");
  Admin(server).run("INSERT INTO t VALUES (7)");
  json values = {{"host", server["host"]},
                 {"port", server.port()},
                 {"user", server["user"]},
                 {"password", server["password"]},
                 {"database", server["database"]},
                 {"tables", "t"},
                 {"ssl_enabled", true},
                 {"ssl_ca", testing::one_line(testing::read_file(server["ca"]))}};
  auto source = sources::make_source("mysql", values);
  source->ping({});
  CollectSink sink;
  source->documents(sink, {});
  ASSERT_EQ(sink.docs.size(), 1u);
  EXPECT_EQ(sink.docs[0].id, "t_7");

  values["ssl_ca"] = testing::read_file(server["dir"] + "/server.pem");
  auto wrong = sources::make_source("mysql", values);
  EXPECT_THROW(wrong->ping({}), SourceError);
}

}  // namespace
}  // namespace connectors
