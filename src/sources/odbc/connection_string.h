// An ODBC connection string ("DRIVER={ODBC Driver 18};SERVER=db.example;PWD={***};")
// built key by key. Every value that holds anything but letters, digits and
// `._-:,/@+` is braced, with `}` doubled, so that a host, user, database or
// password holding `;`, `=`, spaces or braces cannot add or change a keyword;
// passwords are always braced. Plain values stay plain because psqlODBC hands
// braces on to libpq as part of the value (PORT={5432} is refused). The password is kept as a
// Secret: text() (for SQLDriverConnect only) reveals it, masked() (for messages and logs) does not.
// Value type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace connectors::sources::odbc {

// "{value}" with every `}` doubled.
std::string braced(std::string_view value);
// Whether `value` must be braced (see above).
bool needs_braces(std::string_view value);

class ConnectionString {
 public:
  // Sets `key` (a later set of the same key, compared without case, replaces it).
  ConnectionString& set(std::string key, std::string value);
  ConnectionString& set_secret(std::string key, Secret value);

  // The value of `key`, "" if unset (secrets as ***).
  std::string get(std::string_view key) const;

  // The string handed to the driver manager. Never print it.
  std::string text() const;
  // The same with every secret as ***: safe to show.
  std::string masked() const;

 private:
  struct Entry {
    std::string key;
    std::string value;
    bool secret = false;
  };
  std::string render(bool reveal) const;
  std::vector<Entry> entries_;
};

}  // namespace connectors::sources::odbc
