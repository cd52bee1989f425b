// name: SQL values
// description: cells turn into the JSON the framework's serialize() makes,
// without its losses (exact decimals, bytes as text or base64, NaN reported),
// and into the str() its ids are built from, for odd types and NULLs.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sources/sql/values.h"

namespace connectors::sources::sql {
namespace {

using namespace connectors::sources::common;  // the Python spellings values are built from
using json = nlohmann::json;

TEST(SqlValues, DatetimesPrintAsPythonIsoformat) {
  EXPECT_EQ(iso_datetime("2023-05-10 12:34:56"), "2023-05-10T12:34:56");
  EXPECT_EQ(iso_datetime("2023-05-10 12:34:56.789"), "2023-05-10T12:34:56.789000");
  EXPECT_EQ(iso_datetime("2023-05-10 12:34:56.000"),
            "2023-05-10T12:34:56");  // DATETIME(3), zero fraction
  EXPECT_EQ(iso_datetime("2023-05-10 12:34:56.1234567"), "2023-05-10T12:34:56.123456");
  EXPECT_EQ(iso_datetime("2023-05-10 10:34:56+00"), "2023-05-10T10:34:56+00:00");
  EXPECT_EQ(iso_datetime("1850-01-01 00:00:00+00:53:28"), "1850-01-01T00:00:00+00:53:28");
  EXPECT_EQ(iso_datetime("2023-05-10T12:00:00Z"), "2023-05-10T12:00:00+00:00");
  EXPECT_EQ(iso_datetime("0099-01-01 00:00:00"), "0099-01-01T00:00:00");
}

TEST(SqlValues, DatetimesPythonCannotHoldAreRefused) {
  EXPECT_EQ(iso_datetime("0000-00-00 00:00:00"), std::nullopt);  // MySQL zero date
  EXPECT_EQ(iso_datetime("10000-01-01 00:00:00"), std::nullopt);
  EXPECT_EQ(iso_datetime("0044-03-15 00:00:00 BC"), std::nullopt);
  EXPECT_EQ(iso_datetime("2023-02-29 00:00:00"), std::nullopt);
  EXPECT_EQ(iso_date("2024-02-29"), "2024-02-29");
  EXPECT_EQ(iso_date("0044-03-15 BC"), std::nullopt);
  EXPECT_EQ(iso_date("2023-05-10 12:00:00"), std::nullopt);
  EXPECT_EQ(iso_time("24:00:00"), std::nullopt);
  EXPECT_EQ(iso_time("838:59:59"), std::nullopt);  // MySQL TIME span
}

TEST(SqlValues, TimesKeepTheirOffset) {
  EXPECT_EQ(iso_time("08:09:10"), "08:09:10");
  EXPECT_EQ(iso_time("08:09:10.5+05:30"), "08:09:10.500000+05:30");
  EXPECT_EQ(iso_time("08:09:10-07"), "08:09:10-07:00");
}

TEST(SqlValues, SerializeLikeTheFramework) {
  EXPECT_EQ(to_json(Value::null()), json(nullptr));
  EXPECT_EQ(to_json(Value::of_bool(true)), json(true));
  EXPECT_EQ(to_json(Value::of(Kind::kInteger, "-42")), json(-42));
  EXPECT_EQ(to_json(Value::of(Kind::kInteger, "18446744073709551615")).dump(),
            "18446744073709551615");
  EXPECT_EQ(to_json(Value::of(Kind::kDecimal, "1234.500")), json(1234.5));  // Decimal -> float
  EXPECT_EQ(to_json(Value::of(Kind::kDateTime, "2023-05-10T12:00:00")),
            json("2023-05-10T12:00:00"));
  EXPECT_EQ(to_json(Value::of(Kind::kRaw, "{\"a\": [1, 2]}")),
            json("{\"a\": [1, 2]}"));  // json columns are str
  Value array = Value::of_array({Value::of(Kind::kInteger, "1"), Value::null(),
                                 Value::of_array({Value::of(Kind::kText, "x")})});
  EXPECT_EQ(to_json(array), json::parse(R"([1, null, ["x"]])"));
}

TEST(SqlValues, DecimalsKeepEveryDigit) {
  // A number when the JSON number written for the double reads back as the
  // same decimal; the exact text otherwise (Python sends float(Decimal)).
  EXPECT_EQ(decimal_json("12.50").dump(), "12.5");
  EXPECT_EQ(decimal_json("0.1").dump(), "0.1");
  EXPECT_EQ(decimal_json("-1.5E+3").dump(), "-1500.0");
  EXPECT_EQ(decimal_json("0.000").dump(), "0.0");
  EXPECT_EQ(decimal_json("9007199254740993"), json("9007199254740993"));  // 2^53 + 1
  EXPECT_EQ(decimal_json("1234567890123456789012345678.0123456789"),
            json("1234567890123456789012345678.0123456789"));
  EXPECT_EQ(decimal_json("0.10000000000000000001"), json("0.10000000000000000001"));
  EXPECT_EQ(decimal_json("1E+400"), json("1E+400"));  // past a double: still its digits
  EXPECT_EQ(decimal_json("1E+30").dump(), "1e+30");
  EXPECT_EQ(to_json(Value::of(Kind::kDecimal, "99999999999999999999.99")),
            json("99999999999999999999.99"));
  EXPECT_EQ(to_json(Value::of(Kind::kInteger, "123456789012345678901234567890")),
            json("123456789012345678901234567890"));
  Loss loss = Loss::kNone;
  EXPECT_EQ(decimal_json("1.5", &loss), json(1.5));
  EXPECT_EQ(loss, Loss::kNone);
  EXPECT_EQ(decimal_json("-Infinity", &loss), json(nullptr));
  EXPECT_EQ(loss, Loss::kNotFinite);
}

TEST(SqlValues, BytesAreTheirTextOrBase64) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");  // RFC 4648 test vectors
  std::string big(3 * 16384 + 1, '\xff');   // more than one chunk, not a multiple of 3
  std::string encoded = base64(big);
  EXPECT_EQ(encoded.size(), (big.size() + 2) / 3 * 4);
  EXPECT_EQ(encoded.substr(0, 8), "////////");
  EXPECT_EQ(encoded.substr(encoded.size() - 4), "/w==");

  EXPECT_EQ(to_json(Value::of(Kind::kBytes, "h\xc3\xa9")), json("h\xc3\xa9"));  // UTF-8: text
  EXPECT_EQ(to_json(Value::of(Kind::kBytes, std::string("\x00"
                                                        "A",
                                                        2))),
            json(std::string("\0A", 2)));
  EXPECT_EQ(to_json(Value::of(Kind::kBytes, std::string("\xff\xfe\x00\xc3\x28", 5))),
            json("//4Awyg="));  // was "\u0000(" (decode errors="ignore")
  EXPECT_EQ(to_json(Value::of(Kind::kBytes, "\x80\x81\x82\xff")), json("gIGC/w=="));
  Loss loss = Loss::kNone;
  EXPECT_EQ(to_json(Value::of(Kind::kBytes, "\xff"), &loss), json("/w=="));
  EXPECT_EQ(loss, Loss::kNone) << "binary in base64 loses nothing";
}

TEST(SqlValues, BitsAreTheirUnsignedInteger) {
  EXPECT_EQ(to_json(Value::of(Kind::kBits, "\x05")), json(5));
  EXPECT_EQ(to_json(Value::of(Kind::kBits, std::string("\x00\x00", 2))), json(0));
  EXPECT_EQ(to_json(Value::of(Kind::kBits, "\xff\xff\xff\xff\xff\xff\xff\xff")).dump(),
            "18446744073709551615");
  EXPECT_EQ(python_str(Value::of(Kind::kBits, "\x05")), "b'\\x05'");  // ids: pymysql's bytes
}

TEST(SqlValues, WhatJsonCannotHoldIsReported) {
  Loss loss = Loss::kNone;
  EXPECT_EQ(to_json(Value::of(Kind::kDecimal, "NaN"), &loss), json(nullptr));
  EXPECT_EQ(loss, Loss::kNotFinite);
  EXPECT_EQ(to_json(Value::of_float(std::numeric_limits<double>::infinity()), &loss),
            json(nullptr));
  EXPECT_EQ(loss, Loss::kNotFinite);
  EXPECT_EQ(to_json(Value::of(Kind::kText, "x\xff"), &loss), json("eP8="));
  EXPECT_EQ(loss, Loss::kNotUtf8);
  Value array = Value::of_array({Value::of(Kind::kInteger, "1"), Value::of_float(std::nan(""))});
  EXPECT_EQ(to_json(array, &loss), json::parse("[1, null]"));
  EXPECT_EQ(loss, Loss::kNotFinite);
  EXPECT_EQ(to_json(Value::of(Kind::kText, "ok"), &loss), json("ok"));
  EXPECT_EQ(loss, Loss::kNone);
}

TEST(SqlValues, InvalidUtf8IsDroppedAsDecodeIgnoreDoes) {
  EXPECT_EQ(decode_utf8_ignore("h\xc3\xa9llo"), "h\xc3\xa9llo");
  EXPECT_EQ(decode_utf8_ignore("a\xe2\x82"
                               "b"),
            "ab");                                      // truncated sequence
  EXPECT_EQ(decode_utf8_ignore("a\xe2\x41"), "aA");     // the next byte starts over
  EXPECT_EQ(decode_utf8_ignore("\xed\xa0\x80z"), "z");  // surrogate
  EXPECT_EQ(decode_utf8_ignore("\xc0\xaf!"), "!");      // overlong
  EXPECT_EQ(decode_utf8_ignore("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
}

TEST(SqlValues, FloatsPrintAsPythonRepr) {
  EXPECT_EQ(python_float_repr(1.5), "1.5");
  EXPECT_EQ(python_float_repr(100.0), "100.0");
  EXPECT_EQ(python_float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(python_float_repr(1e16), "1e+16");
  EXPECT_EQ(python_float_repr(0.0001), "0.0001");
  EXPECT_EQ(python_float_repr(0.00001), "1e-05");
  EXPECT_EQ(python_float_repr(2.5e-7), "2.5e-07");
  EXPECT_EQ(python_float_repr(static_cast<double>(1.1f)), "1.100000023841858");
  EXPECT_EQ(python_float_repr(-0.0), "-0.0");
  EXPECT_EQ(python_float_repr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(python_float_repr(std::nan("")), "nan");
  EXPECT_EQ(python_float_repr(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(SqlValues, DecimalsPrintAsPythonStr) {
  EXPECT_EQ(python_decimal_str("1.50"), "1.50");
  EXPECT_EQ(python_decimal_str("012"), "12");
  EXPECT_EQ(python_decimal_str("-0.50"), "-0.50");
  EXPECT_EQ(python_decimal_str("0.000001"), "0.000001");
  EXPECT_EQ(python_decimal_str("0.0000001"), "1E-7");
  EXPECT_EQ(python_decimal_str("0.0000000"), "0E-7");
  EXPECT_EQ(python_decimal_str("0.00"), "0.00");
  EXPECT_EQ(python_decimal_str("NaN"), "NaN");
  EXPECT_EQ(python_decimal_str("-Infinity"), "-Infinity");
}

TEST(SqlValues, StrOfEachKind) {
  EXPECT_EQ(python_str(Value::null()), "None");
  EXPECT_EQ(python_str(Value::of_bool(false)), "False");
  EXPECT_EQ(python_str(Value::of(Kind::kDateTime, "2023-05-10T12:00:00")), "2023-05-10 12:00:00");
  EXPECT_EQ(python_str(Value::of(Kind::kDateTime, "2023-05-10T12:00:00+00:00")),
            "2023-05-10 12:00:00+00:00");
  EXPECT_EQ(python_str(Value::of(Kind::kDate, "2023-05-10")), "2023-05-10");
  EXPECT_EQ(python_str(Value::of(Kind::kBytes, std::string("\x00\xff"
                                                           "A",
                                                           3))),
            "b'\\x00\\xffA'");
  EXPECT_EQ(python_str(Value::of(Kind::kBytes, "it's")), "b\"it's\"");
  EXPECT_EQ(python_str(Value::of(Kind::kDecimal, "0.0000001")), "1E-7");
  EXPECT_EQ(python_str(Value::of_array({Value::of(Kind::kInteger, "1"), Value::of(Kind::kText, "a"),
                                        Value::null(), Value::of(Kind::kDecimal, "1.5")})),
            "[1, 'a', None, Decimal('1.5')]");
  EXPECT_EQ(python_str_repr("it's"), "\"it's\"");
  EXPECT_EQ(python_str_repr("a\nb\\"), "'a\\nb\\\\'");
}

TEST(SqlValues, TruthinessDropsFalsyKeys) {
  EXPECT_FALSE(python_truthy(Value::null()));
  EXPECT_FALSE(python_truthy(Value::of(Kind::kInteger, "0")));
  EXPECT_TRUE(python_truthy(Value::of(Kind::kInteger, "10")));
  EXPECT_FALSE(python_truthy(Value::of(Kind::kDecimal, "0.00")));
  EXPECT_TRUE(python_truthy(Value::of(Kind::kDecimal, "NaN")));
  EXPECT_FALSE(python_truthy(Value::of_float(0.0)));
  EXPECT_FALSE(python_truthy(Value::of(Kind::kText, "")));
  EXPECT_FALSE(python_truthy(Value::of_bool(false)));
  EXPECT_TRUE(python_truthy(Value::of(Kind::kTime, "00:00:00")));  // time objects are always true
  EXPECT_FALSE(python_truthy(Value::of_array({})));
}

TEST(SqlValues, ArrayLiteralsSplitIntoElements) {
  auto flat = parse_array_literal("{1,NULL,3}");
  ASSERT_EQ(flat.items.size(), 3u);
  EXPECT_EQ(flat.items[0].text, "1");
  EXPECT_FALSE(flat.items[1].text.has_value());
  auto quoted = parse_array_literal(R"({"a b","c\"d","NULL",NULL,""})");
  ASSERT_EQ(quoted.items.size(), 5u);
  EXPECT_EQ(quoted.items[0].text, "a b");
  EXPECT_EQ(quoted.items[1].text, "c\"d");
  EXPECT_EQ(quoted.items[2].text, "NULL");  // quoted: the string, not NULL
  EXPECT_FALSE(quoted.items[3].text.has_value());
  EXPECT_EQ(quoted.items[4].text, "");
  auto nested = parse_array_literal("{{1,2},{3,4}}");
  ASSERT_EQ(nested.items.size(), 2u);
  EXPECT_TRUE(nested.items[1].is_array);
  EXPECT_EQ(nested.items[1].items[0].text, "3");
  EXPECT_EQ(parse_array_literal("[0:1]={7,8}").items[1].text, "8");
  EXPECT_EQ(parse_array_literal("{(0,0),(1,1);(2,2),(3,3)}", ';').items.size(), 2u);  // box[]
  EXPECT_TRUE(parse_array_literal("{}").items.empty());
  EXPECT_THROW(parse_array_literal("{1,2"), std::invalid_argument);
  EXPECT_THROW(parse_array_literal("1,2"), std::invalid_argument);
}

}  // namespace
}  // namespace connectors::sources::sql
