#include "extraction/formats/opc.h"

#include <algorithm>

#include "extraction/extract.h"
#include "extraction/formats/text.h"
#include "extraction/formats/xml_stream.h"

namespace connectors::extraction::formats {

using Event = XmlStream::Event;

ZipArchive open_package(const std::filesystem::path& path) {
  if (read_file_head(path, 8) == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
    throw ExtractionError("an OLE2 file, not an OOXML zip: encrypted, or a legacy Office format");
  }
  return ZipArchive(path);
}

std::string resolve_part(const std::string& base, const std::string& target) {
  const std::string joined = target.starts_with('/') ? target.substr(1) : base + target;
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= joined.size()) {
    size_t slash = std::min(joined.find('/', at), joined.size());
    std::string part = joined.substr(at, slash - at);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    at = slash + 1;
  }
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "/") + part;
  return out;
}

std::string folder_of(const std::string& part) {
  size_t slash = part.rfind('/');
  return slash == std::string::npos ? "" : part.substr(0, slash + 1);
}

std::vector<Relationship> relationships_of(const ZipArchive& zip, const std::string& part) {
  const std::string folder = folder_of(part);
  const std::string rels = folder + "_rels/" + part.substr(folder.size()) + ".rels";
  std::vector<Relationship> out;
  if (!zip.contains(rels)) return out;
  auto entry = zip.open(rels);
  XmlStream xml(*entry);
  while (xml.next()) {
    if (xml.event() != Event::kStart || xml.name() != "Relationship") continue;
    if (xml.attribute("TargetMode") == "External") continue;
    std::string type = xml.attribute("Type");
    type = type.substr(type.rfind('/') + 1);
    out.push_back({xml.attribute("Id"), type, resolve_part(folder, xml.attribute("Target"))});
  }
  return out;
}

std::vector<std::string> targets_of(const std::vector<Relationship>& rels, std::string_view type) {
  std::vector<std::string> out;
  for (const auto& rel : rels) {
    if (rel.type == type) out.push_back(rel.target);
  }
  return out;
}

std::string target_with_id(const std::vector<Relationship>& rels, const std::string& id) {
  for (const auto& rel : rels) {
    if (rel.id == id) return rel.target;
  }
  return "";
}

}  // namespace connectors::extraction::formats
