// PostgreSQL column values as the framework's driver (asyncpg) hands them to
// the framework: each column type maps to a family, and the server's text
// output of a value (DateStyle ISO, TimeZone UTC, bytea as hex, see
// pg_connection.cpp) converts to a sql::Value. Types asyncpg returns as str
// (json, jsonb, uuid, money, interval, network and geometric types, ...) stay
// the server's text. Domains convert as their base type, enums as text, arrays
// element by element. Pure functions plus a cache of type OIDs; one catalog
// per source, not thread-safe.
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sources/sql/values.h"

namespace connectors::sources::postgresql {

enum class Family {
  kBool,
  kInteger,
  kFloat4,
  kFloat8,
  kNumeric,
  kText,
  kBytea,
  kDate,
  kTime,
  kTimeTz,
  kTimestamp,
  kTimestampTz,
  kArray,
  kRaw,
};

struct TypeInfo {
  Family family = Family::kRaw;
  Oid element = 0;       // arrays: the element type
  char delimiter = ',';  // arrays: the element type's typdelim (';' for box)
};

// One row of pg_type, as the catalog query returns it.
struct PgTypeRow {
  Oid oid = 0;
  char typtype = 'b';      // b base, d domain, e enum, c composite, r range, p pseudo
  char typcategory = 'U';  // A = array
  Oid typelem = 0;
  Oid typbasetype = 0;
  char element_delimiter = ',';
};

// Built-in types by OID (the ones asyncpg decodes to Python values).
std::optional<TypeInfo> builtin_type(Oid oid);

// Converts one value; `info` resolves the element type of arrays.
sql::Value convert(std::string_view text, const TypeInfo& type,
                   const std::function<TypeInfo(Oid)>& info);

class TypeCatalog {
 public:
  // The type of `oid`: a built-in, or one learnt from pg_type rows.
  TypeInfo info(Oid oid) const;
  bool known(Oid oid) const;

  // OIDs a result uses that are neither built-in nor learnt yet.
  std::vector<Oid> unknown(const std::vector<Oid>& oids) const;

  // Learns rows from `SELECT ... FROM pg_type` (see catalog_query). Returns the
  // OIDs those rows refer to (element or base types) that are still unknown.
  std::vector<Oid> learn(const std::vector<PgTypeRow>& rows);

  // The catalog query for some OIDs.
  static std::string catalog_query(const std::vector<Oid>& oids);

 private:
  std::map<Oid, PgTypeRow> rows_;
};

}  // namespace connectors::sources::postgresql
