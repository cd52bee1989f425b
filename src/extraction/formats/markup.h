// HTML (.html, .aspx) and XML (.xml, .svg): their text as Tika gives it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace connectors::extraction::formats {

// The text of the body, without <script>, <style> and <head> (the title is
// metadata, not body text, in Tika); block elements separated by line breaks
// (libxml2's HTML parser, which recovers from any malformed markup).
std::string html_text(std::string_view bytes);
std::string html_file(const std::filesystem::path& path);

// An ASP.NET page: its HTML without the server blocks (<% ... %>), which are
// code, not text.
std::string aspx_file(const std::filesystem::path& path);

// Every text node and CDATA section in document order, a space at each
// element boundary (Tika's XML parser); attributes are not text.
std::string xml_file(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
