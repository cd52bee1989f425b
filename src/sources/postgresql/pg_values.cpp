#include "sources/postgresql/pg_values.h"

#include <algorithm>
#include <cstdlib>

namespace connectors::sources::postgresql {
namespace {

using sql::Kind;
using sql::Value;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// bytea in hex output: "\x48656c6c6f".
std::optional<std::string> bytea_bytes(std::string_view text) {
  if (!text.starts_with("\\x") || text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2 - 1);
  for (size_t i = 2; i < text.size(); i += 2) {
    int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

// asyncpg maps ±infinity to the ends of Python's ranges.
Value date_or_raw(std::string_view text, Kind kind, std::optional<std::string> iso,
                  const char* plus_infinity, const char* minus_infinity) {
  if (text == "infinity") return Value::of(kind, plus_infinity);
  if (text == "-infinity") return Value::of(kind, minus_infinity);
  if (iso) return Value::of(kind, std::move(*iso));
  return Value::of(Kind::kRaw, std::string(text));  // BC dates, years past 9999
}

Value from_node(const sql::ArrayNode& node, const TypeInfo& element,
                const std::function<TypeInfo(Oid)>& info) {
  if (node.is_array) {
    std::vector<Value> items;
    items.reserve(node.items.size());
    for (const auto& item : node.items) items.push_back(from_node(item, element, info));
    return Value::of_array(std::move(items));
  }
  if (!node.text) return Value::null();
  return convert(*node.text, element, info);
}

}  // namespace

std::optional<TypeInfo> builtin_type(Oid oid) {
  switch (oid) {
    case 16:
      return TypeInfo{Family::kBool};
    case 20:    // int8
    case 21:    // int2
    case 23:    // int4
    case 26:    // oid
    case 28:    // xid
    case 29:    // cid
    case 5069:  // xid8
      return TypeInfo{Family::kInteger};
    case 700:
      return TypeInfo{Family::kFloat4};
    case 701:
      return TypeInfo{Family::kFloat8};
    case 1700:
      return TypeInfo{Family::kNumeric};
    case 18:    // "char"
    case 19:    // name
    case 25:    // text
    case 1042:  // bpchar
    case 1043:  // varchar
      return TypeInfo{Family::kText};
    case 17:
      return TypeInfo{Family::kBytea};
    case 1082:
      return TypeInfo{Family::kDate};
    case 1083:
      return TypeInfo{Family::kTime};
    case 1266:
      return TypeInfo{Family::kTimeTz};
    case 1114:
      return TypeInfo{Family::kTimestamp};
    case 1184:
      return TypeInfo{Family::kTimestampTz};
    default:
      return std::nullopt;
  }
}

Value convert(std::string_view text, const TypeInfo& type,
              const std::function<TypeInfo(Oid)>& info) {
  switch (type.family) {
    case Family::kBool:
      return Value::of_bool(text == "t" || text == "true");
    case Family::kInteger:
      return Value::of(Kind::kInteger, std::string(text));
    case Family::kFloat4: {
      // asyncpg reads the 4-byte float and Python widens it: 1.1 -> 1.100000023841858.
      float f = std::strtof(std::string(text).c_str(), nullptr);
      return Value::of_float(static_cast<double>(f));
    }
    case Family::kFloat8:
      return Value::of_float(std::strtod(std::string(text).c_str(), nullptr));
    case Family::kNumeric:
      return Value::of(Kind::kDecimal, std::string(text));
    case Family::kText:
      return Value::of(Kind::kText, std::string(text));
    case Family::kBytea: {
      auto bytes = bytea_bytes(text);
      return bytes ? Value::of(Kind::kBytes, std::move(*bytes))
                   : Value::of(Kind::kRaw, std::string(text));
    }
    case Family::kDate:
      return date_or_raw(text, Kind::kDate, sql::iso_date(text), "9999-12-31", "0001-01-01");
    case Family::kTime:
    case Family::kTimeTz: {
      auto iso = sql::iso_time(text);
      return iso ? Value::of(Kind::kTime, std::move(*iso))
                 : Value::of(Kind::kRaw, std::string(text));
    }
    case Family::kTimestamp:
      return date_or_raw(text, Kind::kDateTime, sql::iso_datetime(text),
                         "9999-12-31T23:59:59.999999", "0001-01-01T00:00:00");
    case Family::kTimestampTz:
      return date_or_raw(text, Kind::kDateTime, sql::iso_datetime(text),
                         "9999-12-31T23:59:59.999999+00:00", "0001-01-01T00:00:00+00:00");
    case Family::kArray: {
      try {
        return from_node(sql::parse_array_literal(text, type.delimiter), info(type.element), info);
      } catch (const std::invalid_argument&) {
        return Value::of(Kind::kRaw, std::string(text));
      }
    }
    case Family::kRaw:
      break;
  }
  return Value::of(Kind::kRaw, std::string(text));
}

TypeInfo TypeCatalog::info(Oid oid) const {
  for (int depth = 0; depth < 16; ++depth) {  // domains over domains
    if (auto builtin = builtin_type(oid)) return *builtin;
    auto it = rows_.find(oid);
    if (it == rows_.end()) return TypeInfo{};
    const PgTypeRow& row = it->second;
    if (row.typtype == 'd' && row.typbasetype != 0) {
      oid = row.typbasetype;
      continue;
    }
    if (row.typcategory == 'A' && row.typelem != 0) {
      return TypeInfo{Family::kArray, row.typelem, row.element_delimiter};
    }
    if (row.typtype == 'e') return TypeInfo{Family::kText};
    return TypeInfo{};
  }
  return TypeInfo{};
}

bool TypeCatalog::known(Oid oid) const {
  return builtin_type(oid).has_value() || rows_.count(oid) > 0;
}

std::vector<Oid> TypeCatalog::unknown(const std::vector<Oid>& oids) const {
  std::vector<Oid> out;
  for (Oid oid : oids) {
    if (!known(oid) && std::find(out.begin(), out.end(), oid) == out.end()) out.push_back(oid);
  }
  return out;
}

std::vector<Oid> TypeCatalog::learn(const std::vector<PgTypeRow>& rows) {
  std::vector<Oid> referenced;
  for (const auto& row : rows) rows_[row.oid] = row;
  for (const auto& row : rows) {
    if (row.typtype == 'd' && row.typbasetype != 0) referenced.push_back(row.typbasetype);
    if (row.typcategory == 'A' && row.typelem != 0) referenced.push_back(row.typelem);
  }
  return unknown(referenced);
}

std::string TypeCatalog::catalog_query(const std::vector<Oid>& oids) {
  std::string list;
  for (Oid oid : oids) list += (list.empty() ? "" : ",") + std::to_string(oid);
  return "SELECT t.oid::int8, t.typtype, t.typcategory, t.typelem::int8, t.typbasetype::int8, "
         "COALESCE(e.typdelim, ',') FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_type e ON "
         "e.oid = t.typelem WHERE t.oid IN (" +
         list + ")";
}

}  // namespace connectors::sources::postgresql
