// name: SQL documents
// description: field names, ids and the `tables` setting of the SQL sources,
// with the framework's quirks (trailing "_", falsy keys dropped in the generic
// engine; zero kept, NULL dropped in MySQL's generate_id).
#include <gtest/gtest.h>

#include "core/errors.h"
#include "sources/sql/documents.h"

namespace connectors::sources::sql {
namespace {

TEST(SqlDocuments, GenericColumnsArePrefixedAndLowerCased) {
  EXPECT_EQ(prefixed_column("public", "Customers_0", "Name"), "public_customers_0_name");
  EXPECT_EQ(prefixed_column("", "CUSTOMERS_0", "ID"), "customers_0_id");  // Oracle: no schema
  EXPECT_EQ(mapped_column("public", {"orders", "customers"}, "Name"),
            "public_customers_orders_name");
  EXPECT_EQ(mapped_column(" ", {"t"}, "c"), "t_c");
}

TEST(SqlDocuments, GenericIdEndsWithUnderscoreAndDropsFalsyKeys) {
  Value name = Value::of(Kind::kText, "user_5");
  EXPECT_EQ(generic_database_id("xe", "public", "customers_0", {&name}),
            "xe_public_customers_0_user_5_");
  Value zero = Value::of(Kind::kInteger, "0");
  Value two = Value::of(Kind::kInteger, "2");
  Value null = Value::null();
  EXPECT_EQ(generic_database_id("xe", "public", "t", {&zero, &two, &null}), "xe_public_t_2_");
  EXPECT_EQ(generic_database_id("xe", "public", "t", {&zero}), "xe_public_t_");
  EXPECT_EQ(generic_database_id("xe", "", "CUSTOMERS_0", {&two}), "xe_CUSTOMERS_0_2_");
  Value when = Value::of(Kind::kDateTime, "2023-05-10T12:00:00");
  EXPECT_EQ(generic_database_id("db", "s", "t", {&when}),
            "db_s_t_2023-05-10 12:00:00_");  // str(datetime)
}

TEST(SqlDocuments, HashIdSortsTablesAndKeepsZero) {
  Value twelve = Value::of(Kind::kText, "user_12");
  EXPECT_EQ(hash_id({"customers_0"}, {&twelve}), "customers_0_user_12");
  Value zero = Value::of(Kind::kInteger, "0");
  Value null = Value::null();
  Value answer = Value::of(Kind::kInteger, "42");
  EXPECT_EQ(hash_id({"table2", "table1"}, {&zero, &null, &answer}), "table1_table2_0_42");
  Value flag = Value::of_bool(true);
  Value price = Value::of(Kind::kDecimal, "9.90");
  EXPECT_EQ(hash_id({"t"}, {&flag, &price}), "t_True_9.90");
}

TEST(SqlDocuments, TablesAreAWildcardOrAList) {
  auto all = parse_tables({"*"});
  EXPECT_TRUE(all.all);
  EXPECT_TRUE(all.names.empty());
  auto some = parse_tables({"a", "", "b"});
  EXPECT_FALSE(some.all);
  EXPECT_EQ(some.names, (std::vector<std::string>{"a", "b"}));
  auto none = parse_tables({});
  EXPECT_FALSE(none.all);
  EXPECT_TRUE(none.names.empty());
  try {
    parse_tables({"*", "orders"});
    FAIL() << "a wildcard next to names is refused";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "tables");
  }
}

}  // namespace
}  // namespace connectors::sources::sql
