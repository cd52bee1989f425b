// The Text chunks of a Visio 5-2003 binary drawing, read straight from its
// "VisioDocument" stream: what libvisio leaves out (the shapes it does not draw
// from a Visio 5 page, the text of master shapes) is found there.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace connectors::extraction::formats {

// The text of every non-empty Text chunk of `document` (the bytes of the
// "VisioDocument" stream), UTF-8, in stream order; a text field's place holder
// (0x1E, U+FFFC) becomes U+FFFC. Reads what it can of a damaged stream and
// stops there: pointers are followed at most kMaxVisioPointerDepth deep, each
// stream once, and no more than kMaxVisioStreamBytes are decompressed in all.
std::vector<std::string> visio_chunk_texts(std::string_view document);

inline constexpr int kMaxVisioPointerDepth = 16;
inline constexpr std::size_t kMaxVisioStreamBytes = 64u << 20;

// Visio's LZ77 variant ("LZW" in the literature): a flag byte, then for each of
// its bits (low first) a literal byte (bit set) or a 12-bit offset and 4-bit
// length into a 4 KiB window. Stops after `max_bytes` of output.
std::string visio_decompress(std::string_view compressed, std::size_t max_bytes);

}  // namespace connectors::extraction::formats
