// Which files the framework extracts text from (TIKA_SUPPORTED_FILETYPES), and
// by which parser family: what the service and the sources need to know about
// types, without the parsers (extract.h), which only the worker processes link.
#pragma once

#include <string_view>
#include <vector>

namespace connectors::extraction {

// The 31 extensions of the framework's TIKA_SUPPORTED_FILETYPES, lower case
// with the dot, in its order.
const std::vector<std::string_view>& supported_extensions();

// True when `extension` (any case, with the dot) is one of them.
bool is_supported_extension(std::string_view extension);

// The name of the parser family for `extension` ("pdf", "ooxml", "text", ...),
// for logs and `connectors extract`; "" for an unsupported extension.
std::string_view format_of(std::string_view extension);

}  // namespace connectors::extraction
