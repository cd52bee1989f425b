// name: PostgreSQL source against a real server
// description: a PostgreSQL 15 started by tests/servers/postgresql.sh (with
// track_commit_timestamp=on, as the framework's fixture); documents checked
// field by field against what connectors-python@8.8 builds from the same rows.
// What every SQL source does alike (tables, keys, values, errors, stops,
// retries) is in sources/sql_family/; here what is PostgreSQL's own.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <set>

#include "core/errors.h"
#include "core/iso_time.h"
#include "protocol/statuses.h"
#include "service_support.h"
#include "sources/registry.h"
#include "sources/sql/advanced_rules.h"
#include "sql_admin.h"
#include "sql_server_support.h"

namespace connectors {
namespace {

using json = nlohmann::json;
using testing::CollectSink;
using testing::SqlServer;

const char* kFixture = R"sql(
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE TABLE odd (
  id integer PRIMARY KEY, small smallint, big bigint, real_v real, double_v double precision,
  num numeric(10,3), num_nan numeric, flag boolean, name text, code char(5), vc varchar(20),
  bin bytea, day date, day_bc date, at timestamp, at_inf timestamp, at_tz timestamptz, t time,
  t_tz timetz, span interval, doc json, docb jsonb, ids integer[], tags text[], grid integer[][],
  stamps timestamp[], uid uuid, ip inet, money_v money, pt point, bits varbit(8), feeling mood,
  dom positive_int, inf_f double precision);
INSERT INTO odd VALUES (1, 32767, 9007199254740993, 1.1, 2.5e-7, 1234.5, 'NaN', true,
  'héllo "wörld"', 'ab', 'x', '\x00ff41', '2023-05-10', '0044-03-15 BC', '2023-05-10 12:34:56.789',
  'infinity', '2023-05-10 12:34:56+02', '08:09:10', '08:09:10.5+05:30', '1 day 02:03:04',
  '{"a": [1, 2]}', '{"b":1,"a":2}', '{1,NULL,3}', '{"a b","c\"d",NULL}', '{{1,2},{3,4}}',
  '{"2023-01-01 00:00:00"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24', 12.34,
  '(1.5,2)', B'101', 'happy', 42, 'Infinity');
INSERT INTO odd (id) VALUES (2);
INSERT INTO odd (id, name) VALUES (0, 'zero key');
CREATE TABLE customers (name varchar(255) PRIMARY KEY, age int, description text);
INSERT INTO customers SELECT 'user_' || i, 20 + i % 30, 'about user ' || i FROM generate_series(1, 30) i;
CREATE TABLE nopk (a int, b text);
INSERT INTO nopk VALUES (1, 'x'), (2, 'y');
CREATE TABLE big (id int PRIMARY KEY, payload text);
INSERT INTO big SELECT i, repeat('x', 100) FROM generate_series(1, 1000) i;
CREATE VIEW adults AS SELECT * FROM customers WHERE age >= 40;
CREATE TABLE lossless (id int PRIMARY KEY, wide numeric(38,10), plain numeric(10,2), blob bytea,
  high bytea, text_bytes bytea, nan_num numeric, nan_f double precision, blobs bytea[],
  big bigint);
INSERT INTO lossless VALUES (1, '1234567890123456789012345678.0123456789', 12.50, '\xfffe00c328',
  '\x808182ff', 'hello', 'NaN', 'NaN', ARRAY['\xff'::bytea, 'ok'::bytea], 9223372036854775807);
INSERT INTO lossless VALUES (2, 0.5, 1, NULL, NULL, NULL, 'Infinity', 1.5, NULL, NULL);
CREATE SCHEMA sales;
CREATE TABLE sales.orders (order_id int, line int, item text, PRIMARY KEY (order_id, line));
INSERT INTO sales.orders VALUES (1, 1, 'pen'), (1, 2, 'ink'), (2, 1, 'pad');
)sql";

using Admin = testing::PgAdmin;

class PostgresqlSource : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new SqlServer("postgresql");
    Admin(*server_).run(kFixture);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static json config(json overrides = json::object()) {
    json values = {{"host", (*server_)["host"]},         {"port", server_->port()},
                   {"username", (*server_)["user"]},     {"password", (*server_)["password"]},
                   {"database", (*server_)["database"]}, {"tables", "*"}};
    values.update(overrides);
    return values;
  }

  static CollectSink sync(const json& values, std::stop_token stop = {}) {
    auto source = sources::make_source("postgresql", values);
    CollectSink sink;
    source->documents(sink, stop);
    return sink;
  }

  static SqlServer* server_;
};

SqlServer* PostgresqlSource::server_ = nullptr;

TEST_F(PostgresqlSource, OddTypesAndNullsBecomeTheFrameworksDocuments) {
  auto sink = sync(config({{"tables", "odd"}}));
  ASSERT_EQ(sink.docs.size(), 3u);
  const auto* full = sink.find("xe_public_odd_1_");
  const auto* nulls = sink.find("xe_public_odd_2_");
  const auto* zero = sink.find("xe_public_odd_");  // key 0 is falsy: dropped from the id
  ASSERT_TRUE(full && nulls && zero);

  json expected = json::parse(R"j({
    "public_odd_id": 1, "public_odd_small": 32767, "public_odd_big": 9007199254740993,
    "public_odd_real_v": 1.100000023841858, "public_odd_double_v": 2.5e-07,
    "public_odd_num": 1234.5, "public_odd_num_nan": null, "public_odd_flag": true,
    "public_odd_name": "héllo \"wörld\"", "public_odd_code": "ab   ", "public_odd_vc": "x",
    "public_odd_bin": "AP9B", "public_odd_day": "2023-05-10", "public_odd_day_bc": "0044-03-15 BC",
    "public_odd_at": "2023-05-10T12:34:56.789000", "public_odd_at_inf": "9999-12-31T23:59:59.999999",
    "public_odd_at_tz": "2023-05-10T10:34:56+00:00", "public_odd_t": "08:09:10",
    "public_odd_t_tz": "08:09:10.500000+05:30", "public_odd_span": "1 day 02:03:04",
    "public_odd_doc": "{\"a\": [1, 2]}", "public_odd_docb": "{\"a\": 2, \"b\": 1}",
    "public_odd_ids": [1, null, 3], "public_odd_tags": ["a b", "c\"d", null],
    "public_odd_grid": [[1, 2], [3, 4]], "public_odd_stamps": ["2023-01-01T00:00:00"],
    "public_odd_uid": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "public_odd_ip": "192.168.0.1/24",
    "public_odd_money_v": "$12.34", "public_odd_pt": "(1.5,2)", "public_odd_bits": "101",
    "public_odd_feeling": "happy", "public_odd_dom": 42, "public_odd_inf_f": null,
    "Database": "xe", "Table": "odd", "schema": "public"})j");
  EXPECT_EQ(full->fields, expected) << full->fields.dump(2);

  ASSERT_EQ(nulls->fields.size(), expected.size());
  for (const auto& [key, value] : nulls->fields.items()) {
    if (key == "public_odd_id") {
      EXPECT_EQ(value, 2);
    } else if (key != "Database" && key != "Table" && key != "schema") {
      EXPECT_TRUE(value.is_null()) << key;
    }
  }
  EXPECT_EQ(zero->fields["public_odd_name"], "zero key");

  // The commit time of the newest row (track_commit_timestamp is on), in UTC.
  EXPECT_TRUE(full->timestamp.ends_with("+00:00")) << full->timestamp;
  auto millis = parse_iso_millis(full->timestamp);
  ASSERT_TRUE(millis.has_value()) << full->timestamp;
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  EXPECT_LT(std::abs(now - *millis), 3600 * 1000);
  EXPECT_EQ(nulls->timestamp, full->timestamp);  // one time per table, as in the framework
}

TEST_F(PostgresqlSource, EveryTableOfEverySchemaExceptThoseWithoutPrimaryKey) {
  auto sink = sync(config());
  std::map<std::string, int> per_table;
  for (const auto& d : sink.docs)
    per_table[d.fields["schema"].get<std::string>() + "." + d.fields["Table"].get<std::string>()]++;
  EXPECT_EQ(per_table["public.odd"], 3);
  EXPECT_EQ(per_table["public.customers"], 30);
  EXPECT_EQ(per_table["public.big"], 1000);
  EXPECT_EQ(per_table["sales.orders"], 3);
  EXPECT_EQ(per_table.count("public.nopk"), 0u) << "no primary key: skipped, as the framework does";
  EXPECT_EQ(per_table.count("public.adults"), 0u) << "a view has no primary key";
  // ... and the job says so.
  EXPECT_TRUE(
      sink.warned("table public.nopk of database xe was skipped because it has no primary key"))
      << ::testing::PrintToString(sink.warnings);
  EXPECT_TRUE(sink.warned("table public.adults of database xe was skipped"));
  ASSERT_NE(sink.find("xe_sales_orders_1_2_"), nullptr) << "composite keys join in key order";
  EXPECT_EQ(sink.find("xe_sales_orders_1_2_")->fields["sales_orders_item"], "ink");
}

// Through the service: what the source left out is in the job, where Kibana
// and `connectors job view` show it, not only in the log.
TEST_F(PostgresqlSource, TheJobReportsTheSkippedTables) {
  REQUIRE_ENGINE();
  es::Client client(testing::fast_retry_options(testing::engine_url()));
  protocol::ensure_system_indices(client);
  protocol::ConnectorStore connectors(client);
  protocol::JobStore jobs(client);
  std::string id = testing::test_index("pgjob");
  std::string index = id + "-content";
  testing::create_connector(connectors, id, "postgresql", index,
                            config({{"tables", "customers,nopk"}}));
  std::string job_id = jobs.create(*connectors.get(id), "full", "on_demand");
  auto dir = std::filesystem::temp_directory_path() / id;
  std::filesystem::create_directories(dir);
  testing::ServiceProcess service(
      testing::write_service_config((dir / "config.yml").string(), {id}),
      (dir / "service.log").string());
  ASSERT_TRUE(testing::eventually(
      [&] { return jobs.get(job_id)->status() == protocol::job_status::kCompleted; },
      std::chrono::seconds(60)))
      << jobs.get(job_id)->status() << "\n"
      << service.log();
  auto job = jobs.get(job_id);
  EXPECT_EQ(job->doc.source["indexed_document_count"], 30);
  std::string error = job->doc.str("error");
  EXPECT_NE(error.find("left out 1 item"), std::string::npos) << error;
  EXPECT_NE(error.find("public.nopk"), std::string::npos) << error;
  EXPECT_NE(error.find("no primary key"), std::string::npos) << error;
  ASSERT_TRUE(
      testing::eventually([&] { return connectors.get(id)->last_sync_status() == "completed"; },
                          std::chrono::seconds(10)));
  EXPECT_NE(connectors.get(id)->doc.str("last_sync_error").find("public.nopk"), std::string::npos);
  service.stop();
  client.delete_index(index);
  std::filesystem::remove_all(dir);
}

TEST_F(PostgresqlSource, ValuesKeepTheirInformation) {
  auto sink = sync(config({{"tables", "lossless, nopk"}}));
  ASSERT_EQ(sink.docs.size(), 2u);
  const auto* first = sink.find("xe_public_lossless_1_");
  const auto* second = sink.find("xe_public_lossless_2_");
  ASSERT_TRUE(first && second);
  // Python would send 1.2345678901234569e+27, "\u0000(" and "" for wide, blob and high.
  EXPECT_EQ(first->fields, json::parse(R"j({
    "public_lossless_id": 1, "public_lossless_wide": "1234567890123456789012345678.0123456789",
    "public_lossless_plain": 12.5, "public_lossless_blob": "//4Awyg=",
    "public_lossless_high": "gIGC/w==", "public_lossless_text_bytes": "hello",
    "public_lossless_nan_num": null, "public_lossless_nan_f": null,
    "public_lossless_blobs": ["/w==", "ok"], "public_lossless_big": 9223372036854775807,
    "Database": "xe", "Table": "lossless", "schema": "public"})j"))
      << first->fields.dump(2);
  EXPECT_EQ(first->fields["public_lossless_big"].dump(), "9223372036854775807");
  EXPECT_EQ(second->fields["public_lossless_wide"].dump(), "0.5");
  EXPECT_EQ(second->fields["public_lossless_plain"].dump(), "1.0");
  EXPECT_EQ(second->fields["public_lossless_nan_f"], 1.5);

  // Each value JSON cannot hold, the skipped table: told to the job, named.
  ASSERT_EQ(sink.warnings.size(), 3u) << ::testing::PrintToString(sink.warnings);
  EXPECT_TRUE(
      sink.warned("postgresql: table public.lossless, column public_lossless_nan_num: 2 values "
                  "were sent as null: NaN or Infinity, which JSON has no number for (the first "
                  "in document xe_public_lossless_1_)"));
  EXPECT_TRUE(sink.warned("column public_lossless_nan_f: 1 value was sent as null"));
  EXPECT_TRUE(
      sink.warned("postgresql: table public.nopk of database xe was skipped because it has no "
                  "primary key"));
}

TEST_F(PostgresqlSource, StreamsThroughACursorInBatchesOfFetchSize) {
  Admin watcher(*server_);
  std::string seen_query, seen_state;
  CollectSink sink;
  sink.on_emit = [&](const sources::Document&) {
    if (sink.docs.size() == 10) {
      seen_state = watcher.run(
          "SELECT state FROM pg_stat_activity WHERE application_name = 'elastic-connectors'");
      seen_query = watcher.run(
          "SELECT query FROM pg_stat_activity WHERE application_name = 'elastic-connectors'");
    }
  };
  auto source = sources::make_source("postgresql", config({{"tables", "big"}, {"fetch_size", 7}}));
  source->documents(sink, {});
  EXPECT_EQ(sink.docs.size(), 1000u);
  std::set<std::string> ids;
  for (const auto& d : sink.docs) ids.insert(d.id);
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_TRUE(ids.count("xe_public_big_1000_"));
  // While the engine holds a document, the session waits between two FETCHes.
  EXPECT_EQ(seen_state, "idle in transaction");
  EXPECT_EQ(seen_query, "FETCH FORWARD 7 FROM connectors_rows");
}

TEST_F(PostgresqlSource, AdvancedRulesRunCustomQueries) {
  auto source = sources::make_source("postgresql", config());
  auto* rules = source->advanced_rules();
  ASSERT_NE(rules, nullptr);
  json value = json::parse(R"j([
    {"tables": ["customers"], "query": "SELECT name, age FROM customers WHERE age > 45;"},
    {"tables": ["nopk"], "query": "SELECT * FROM nopk", "id_columns": ["a"]},
    {"tables": ["customers"], "query": "SELECT age FROM customers"}])j");
  EXPECT_TRUE(rules->validate_advanced_rules(value, {}).valid);
  rules->set_advanced_rules(value);
  CollectSink sink;
  source->documents(sink, {});
  ASSERT_EQ(sink.docs.size(), 6u)
      << "4 customers over 45, 2 rows of nopk, the third rule has no key";
  ASSERT_EQ(sink.warnings.size(), 1u) << ::testing::PrintToString(sink.warnings);
  EXPECT_TRUE(
      sink.warned("the custom query of tables customers was skipped because its result lacks "
                  "a primary key or id_columns column: SELECT age FROM customers"));
  const auto* doc = sink.find("xe_public_customers_user_29");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->fields, json({{"public_customers_name", "user_29"},
                               {"public_customers_age", 49},
                               {"Database", "xe"},
                               {"Table", json::array({"customers"})},
                               {"schema", "public"}}));
  EXPECT_FALSE(doc->timestamp.empty());
  EXPECT_NE(sink.find("xe_public_nopk_2"), nullptr) << "id_columns stand in for a primary key";

  auto missing = rules->validate_advanced_rules(
      json::parse(R"j([{"tables": ["customers", "nope"], "query": "SELECT 1"}])j"), {});
  EXPECT_FALSE(missing.valid);
  EXPECT_EQ(missing.message, "Tables not found or inaccessible: nope.");
  auto schema = rules->validate_advanced_rules(json::parse(R"j([{"tables": ["customers"]}])j"), {});
  EXPECT_EQ(schema.message, "data[0] must contain ['query'] properties");

  rules->set_advanced_rules(json::parse(R"j([{"tables": ["nope"], "query": "SELECT 1"}])j"));
  CollectSink none;
  EXPECT_THROW(source->documents(none, {}), SourceError);
}

TEST_F(PostgresqlSource, ExplicitTablesAreFoundInTheirSchema) {
  auto sink = sync(config({{"tables", "orders"}}));
  ASSERT_EQ(sink.docs.size(), 3u);
  EXPECT_NE(sink.find("xe_sales_orders_2_1_"), nullptr);
}

TEST(PostgresqlSourceSsl, VerifiesTheServerWithTheConfiguredCertificate) {
  SqlServer server("postgresql", "PG_SSL=1");
  Admin(server).run("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (7)");
  json values = {{"host", server["host"]},
                 {"port", server.port()},
                 {"username", server["user"]},
                 {"password", server["password"]},
                 {"database", server["database"]},
                 {"tables", "t"},
                 {"ssl_enabled", true},
                 {"ssl_ca", testing::one_line(testing::read_file(server["ca"]))}};
  auto source = sources::make_source("postgresql", values);
  source->ping({});
  CollectSink sink;
  source->documents(sink, {});
  ASSERT_EQ(sink.docs.size(), 1u);
  EXPECT_EQ(sink.docs[0].id, "xe_public_t_7_");

  // A certificate that is not the server's CA: verify-full refuses the server.
  values["ssl_ca"] = testing::read_file(server["dir"] + "/server.pem");
  auto wrong = sources::make_source("postgresql", values);
  try {
    wrong->ping({});
    FAIL() << "connected with a CA that did not sign the server certificate";
  } catch (const SourceError& e) {
    EXPECT_NE(std::string(e.what()).find("certificate"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace connectors
