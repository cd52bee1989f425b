#include "core/json_dump.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace connectors {
namespace {

using nlohmann::json;

std::string reference(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(JsonDump, EscapesEveryByteAsNlohmannDoes) {
  for (int c = 0; c < 0x80; ++c) {
    for (size_t at : {0u, 3u, 8u, 13u}) {  // before, inside and after a word of eight
      std::string s(16, 'a');
      s[at] = static_cast<char>(c);
      json value = s;
      EXPECT_EQ(dump_json(value), reference(value)) << "byte " << c << " at " << at;
    }
  }
}

TEST(JsonDump, CopiesValidUtf8AndLeavesInvalidUtf8ToNlohmann) {
  const std::string cases[] = {
      "caf\xC3\xA9 cr\xC3\xA8me",           // 2-byte
      "\xE2\x82\xAC and \xF0\x9F\x98\x80",  // 3- and 4-byte
      "\xF4\x8F\xBF\xBF",                   // U+10FFFF
      "\xC0\xAF",                           // overlong '/'
      "\xE0\x80\xAF",                       // overlong, 3 bytes
      "\xED\xA0\x80",                       // a surrogate
      "\xF4\x90\x80\x80",                   // past U+10FFFF
      "abc\xC3",                            // cut at the end
      "\xE2\x82 x",                         // cut in the middle
      "\x80\x80\x80\x80\x80\x80\x80\x80\x80",
      "ok \xFF ok",
  };
  for (const std::string& s : cases) {
    json value = s;
    EXPECT_EQ(dump_json(value), reference(value)) << s;
  }
}

TEST(JsonDump, WritesNestedDocumentsAsNlohmann) {
  json doc = {{"id", "a\"b"},
              {"body", std::string(1000, 'x') + "\n\ttail\\"},
              {"size", 1234567890123LL},
              {"negative", -5},
              {"big", 18446744073709551615ULL},
              {"ratio", 0.1},
              {"tiny", 1e-300},
              {"flag", true},
              {"none", nullptr},
              {"list", {1, "two", json::array(), json::object(), {{"k\x01", "v"}}}},
              {"k\xC3\xA9y", {{"inner", "\xFF"}}},
              {"", ""}};
  EXPECT_EQ(dump_json(doc), reference(doc));
  EXPECT_EQ(dump_json(json::object()), "{}");
  EXPECT_EQ(dump_json(json::array()), "[]");
}

TEST(JsonDump, MatchesNlohmannOnRandomBytes) {
  std::mt19937 random(20261206);
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> printable(0x20, 0x7E);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int n = length(random);
    for (int i = 0; i < n; ++i) {
      // Mostly printable text, with control bytes, quotes and raw bytes mixed in.
      const int k = kind(random);
      s.push_back(static_cast<char>(k < 7 ? printable(random) : byte(random)));
    }
    json value = {{s, s}, {"list", {s, n}}};
    ASSERT_EQ(dump_json(value), reference(value))
        << json(s).dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

}  // namespace
}  // namespace connectors
