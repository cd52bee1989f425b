// Open Packaging Conventions: the parts of an OOXML package (.docx, .xlsx,
// .xlsb, .pptx, .vsdx) and the relationships that name them. Shared by the
// XML formats (ooxml.cpp) and the binary workbook (xlsb.cpp).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "extraction/formats/zip_archive.h"

namespace connectors::extraction::formats {

struct Relationship {
  std::string id;      // "rId3"
  std::string type;    // the last segment of the type URI: "officeDocument", "header"
  std::string target;  // the part's name in the zip
};

// The package's zip. An encrypted package (or a legacy file renamed) is an
// OLE2 compound file instead: an ExtractionError that says so.
ZipArchive open_package(const std::filesystem::path& path);

// `target` relative to the folder `base` ("word/"), or absolute ("/xl/a.xml").
std::string resolve_part(const std::string& base, const std::string& target);

// The folder of a part, with its slash ("xl/worksheets/"), or "".
std::string folder_of(const std::string& part);

// The internal relationships of `part` in document order (none when it has no
// .rels); "" is the package's own (_rels/.rels).
std::vector<Relationship> relationships_of(const ZipArchive& zip, const std::string& part);

std::vector<std::string> targets_of(const std::vector<Relationship>& rels, std::string_view type);
std::string target_with_id(const std::vector<Relationship>& rels, const std::string& id);

}  // namespace connectors::extraction::formats
