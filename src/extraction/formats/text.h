// Plain-text files (.txt, .py, .md, .csv, ...): their bytes decoded to UTF-8,
// and the byte-level helpers the other format families share.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace connectors::extraction::formats {

// The whole file; ExtractionError naming the file when it cannot be read.
std::string read_file_bytes(const std::filesystem::path& path);

// At most the first `size` bytes of the file ("" when it cannot be read), to
// tell a file's kind by its magic number.
std::string read_file_head(const std::filesystem::path& path, size_t size);

// Appends code point `c` to `out` as UTF-8 (the parsers that decode UTF-16 or
// code pages themselves: OLE2 strings, RTF).
void append_utf8(std::string& out, char32_t c);

// True when `bytes` is well-formed UTF-8 (no overlong forms, no surrogates).
bool is_valid_utf8(std::string_view bytes);

// `bytes` converted from `charset` (an iconv name) to UTF-8; undecodable bytes
// become U+FFFD. ExtractionError when iconv does not know `charset`.
std::string convert_to_utf8(std::string_view bytes, const std::string& charset);

// Text of unknown encoding as UTF-8: a byte-order mark decides first (and is
// dropped), valid UTF-8 stays as it is, anything else is converted from the
// charset uchardet detects (windows-1252 when it detects none).
std::string decode_text(std::string_view bytes);

// The text of a plain-text file as UTF-8.
std::string text_file(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
