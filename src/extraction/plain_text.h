// Text of plain-text files (the only format extracted in process so far), with
// the size and extension gates of the Python framework. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace connectors::extraction {

// Lower-cased extension with its dot (".txt"), or "" when there is none.
std::string file_extension(std::string_view name);

// True for extensions whose bytes are the text itself (.txt, .md, .csv, ...).
bool is_plain_text_extension(std::string_view extension);

// Replaces invalid UTF-8 sequences by U+FFFD so the text can go into JSON.
std::string sanitize_utf8(std::string_view bytes);

// Collapses runs of whitespace into one space and trims (the pipeline's
// `_reduce_whitespace`).
std::string reduce_whitespace(std::string_view text);

}  // namespace connectors::extraction
