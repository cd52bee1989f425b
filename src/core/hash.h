// Fast non-cryptographic hashes (XXH3) for id sets and change detection, and
// MD5 hex for ids where the Python framework uses it. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace connectors {

uint64_t hash64(std::string_view data);
uint64_t hash64(std::string_view data, uint64_t seed);
std::string md5_hex(std::string_view data);

}  // namespace connectors
