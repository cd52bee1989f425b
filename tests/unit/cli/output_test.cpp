// The table, key/value and JSON printing helpers of the `connectors` commands,
// and the prompts (on string streams).
#include "cli/commands/output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace connectors::cli {
namespace {

TEST(CliOutput, CellTextOfJsonValues) {
  EXPECT_EQ(cell_text(json(nullptr)), "-");
  EXPECT_EQ(cell_text(json("pending")), "pending");
  EXPECT_EQ(cell_text(json(42)), "42");
  EXPECT_EQ(cell_text(json(true)), "true");
  EXPECT_EQ(cell_text(json::array({1, "a"})), "[1,\"a\"]");
  json doc = {{"status", "configured"}, {"error", nullptr}};
  EXPECT_EQ(cell_text(doc, "status"), "configured");
  EXPECT_EQ(cell_text(doc, "error"), "-");
  EXPECT_EQ(cell_text(doc, "missing"), "-");
  EXPECT_EQ(cell_text(json("not an object"), "status"), "-");
}

TEST(CliOutput, TableAlignsColumnsWithoutTrailingSpaces) {
  Table table({"ID", "NAME", "STATUS"});
  table.add_row({"a1", "first connector", "configured"});
  table.add_row({"b22", "x", ""});
  EXPECT_EQ(table.rows(), 2u);
  EXPECT_EQ(table.render(),
            "ID   NAME             STATUS\n"
            "a1   first connector  configured\n"
            "b22  x                -\n");
}

TEST(CliOutput, TableRightAlignsNumbersAndPadsMissingCells) {
  Table table({"INDEX", "DOCS"});
  table.align_right(1);
  table.add_row({"search-a", "5"});
  table.add_row({"b", "12345"});
  table.add_row({"only-index"});
  table.add_row({"x", "1", "dropped"});
  EXPECT_EQ(table.render(),
            "INDEX        DOCS\n"
            "search-a        5\n"
            "b           12345\n"
            "only-index      -\n"
            "x               1\n");
}

TEST(CliOutput, TableCleansControlCharactersAndTruncates) {
  Table table({"ERROR"});
  table.set_max_width(0, 10);
  table.add_row({"line one\nline\ttwo"});
  table.add_row({"short"});
  EXPECT_EQ(table.render(), "ERROR\nline on...\nshort\n");
}

TEST(CliOutput, TableCountsUtf8CodePoints) {
  Table table({"NAME", "N"});
  table.add_row({"caf\xC3\xA9", "1"});  // café: 4 columns, 5 bytes
  table.add_row({"abcde", "2"});
  EXPECT_EQ(table.render(), "NAME   N\ncaf\xC3\xA9   1\nabcde  2\n");
  EXPECT_EQ(display_width("caf\xC3\xA9"), 4u);

  Table narrow({"X"});
  narrow.set_max_width(0, 5);
  narrow.add_row({"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"});  // never cut inside a code point
  EXPECT_EQ(narrow.render(), "X\n\xC3\xA9\xC3\xA9...\n");
}

TEST(CliOutput, HeaderOnlyTable) {
  Table table({"A", "BB"});
  EXPECT_EQ(table.render(), "A  BB\n");
}

TEST(CliOutput, KeyValuesAligned) {
  EXPECT_EQ(key_values({{"Job ID", "j1"}, {"Status", "pending"}, {"Error", ""}}),
            "Job ID:  j1\n"
            "Status:  pending\n"
            "Error:   -\n");
  EXPECT_EQ(key_values({}), "");
}

TEST(CliOutput, JsonTextIsPrettyAndNeverThrowsOnBadUtf8) {
  EXPECT_EQ(json_text(json::array()), "[]\n");
  EXPECT_EQ(json_text({{"id", "x"}}), "{\n  \"id\": \"x\"\n}\n");
  std::string text;
  EXPECT_NO_THROW(text = json_text(json("bad \xFF byte")));
  EXPECT_NE(text.find("bad"), std::string::npos);
  EXPECT_EQ(json::parse(json_text({{"n", 3}, {"list", {1, 2}}})), json({{"n", 3}, {"list", {1, 2}}}));
}

TEST(CliOutput, MaskSensitiveHidesOnlySensitiveValues) {
  json configuration = {
      {"host", {{"value", "db.local"}, {"sensitive", false}}},
      {"password", {{"value", "hunter22"}, {"sensitive", true}}},
      {"token", {{"value", ""}, {"sensitive", true}}},
      {"key", {{"value", nullptr}, {"sensitive", true}}},
      {"flat", "not a field"},
  };
  json masked = mask_sensitive(configuration);
  EXPECT_EQ(masked["host"]["value"], "db.local");
  EXPECT_EQ(masked["password"]["value"], "***");
  EXPECT_EQ(masked["password"]["sensitive"], true);
  EXPECT_EQ(masked["token"]["value"], "");
  EXPECT_TRUE(masked["key"]["value"].is_null());
  EXPECT_EQ(masked["flat"], "not a field");
  EXPECT_EQ(masked.dump().find("hunter22"), std::string::npos);
  EXPECT_EQ(mask_sensitive(json(nullptr)), json(nullptr));
}

TEST(CliOutput, PromptLineReadsOneLine) {
  std::istringstream in("first\r\nsecond\n");
  std::ostringstream out;
  EXPECT_EQ(prompt_line("Host: ", in, out), "first");
  EXPECT_EQ(prompt_line("Next: ", in, out), "second");
  EXPECT_EQ(prompt_line("More: ", in, out), std::nullopt);
  EXPECT_EQ(out.str(), "Host: Next: More: \n");
}

TEST(CliOutput, PromptSecretFromAStreamReadsLikeALine) {
  std::istringstream in("s3cret\n");
  std::ostringstream out;
  EXPECT_EQ(prompt_secret("Password: ", in, out), "s3cret");
  EXPECT_EQ(out.str().find("s3cret"), std::string::npos);
}

TEST(CliOutput, ConfirmOnlyYesIsYes) {
  for (const char* yes : {"y\n", "Y\n", "yes\n", "YES\n"}) {
    std::istringstream in(yes);
    std::ostringstream out;
    EXPECT_TRUE(confirm("Delete?", in, out)) << yes;
    EXPECT_EQ(out.str(), "Delete? [y/N] ");
  }
  for (const char* no : {"n\n", "\n", "nope\n", "yess\n", ""}) {
    std::istringstream in(no);
    std::ostringstream out;
    EXPECT_FALSE(confirm("Delete?", in, out)) << no;
  }
}

}  // namespace
}  // namespace connectors::cli
