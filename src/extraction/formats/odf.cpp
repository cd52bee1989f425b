#include "extraction/formats/odf.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "extraction/extract.h"
#include "extraction/formats/xml_stream.h"
#include "extraction/formats/zip_archive.h"

namespace connectors::extraction::formats {
namespace {

using Event = XmlStream::Event;

// text:s stands for N spaces; a hostile count must not make a huge string.
constexpr int kMaxSpaces = 1000;

// Elements whose text must not run into what follows: paragraphs, headings,
// rows, list items, footnote numbers and bodies, frame titles.
constexpr std::array<std::string_view, 9> kBreaksAfter = {
    "p", "h", "table-row", "list-item", "note-citation", "note-body", "title", "desc", "frame"};

int space_count(const XmlStream& xml) {
  const std::string count = xml.attribute("text:c");
  int n = 1;
  std::from_chars(count.data(), count.data() + count.size(), n);
  return std::clamp(n, 1, kMaxSpaces);
}

// The text of `part`. With `only_headers`, only what is inside the page
// headers and footers of the master pages (styles.xml).
void append_odf_text(const ZipArchive& zip, const std::string& part, bool only_headers,
                     std::string& out) {
  auto entry = zip.open(part);
  XmlStream xml(*entry);
  int skip_depth = -1;
  int header_depth = -1;
  while (xml.next()) {
    if (skip_depth >= 0) {
      if (xml.event() == Event::kEnd && xml.depth() == skip_depth) skip_depth = -1;
      continue;
    }
    const std::string_view name = xml.name();
    // A formula object is MathML: symbols, not text (Tika skips it too).
    if (xml.event() == Event::kStart && xml.depth() == 0 && name == "math") return;
    switch (xml.event()) {
      case Event::kStart:
        // Deleted text of tracked changes; an annotation's author and date;
        // the entry templates of indexes (text:bibliography-source, ...).
        if (name == "tracked-changes" || name == "creator" || name == "date" ||
            name.ends_with("-source")) {
          skip_depth = xml.depth();
        }
        if (name.starts_with("header") || name.starts_with("footer")) {
          if (header_depth < 0) header_depth = xml.depth();
        }
        if (name == "note") out += ' ';
        if (name == "s") out.append(static_cast<size_t>(space_count(xml)), ' ');
        if (name == "tab") out += '\t';
        if (name == "line-break") out += '\n';
        break;
      case Event::kEnd:
        if (xml.depth() == header_depth) header_depth = -1;
        if (is_one_of(name, kBreaksAfter)) out += '\n';
        if (name == "table-cell") out += '\t';
        break;
      case Event::kText:
        if (!only_headers || header_depth >= 0) out += xml.text();
        break;
    }
  }
}

}  // namespace

std::string odt_file(const std::filesystem::path& path) {
  const ZipArchive zip(path);
  // An encrypted package still lists its parts; the manifest says they are
  // encrypted, and their bytes would only give a parse error.
  if (zip.contains("META-INF/manifest.xml") &&
      zip.read_all("META-INF/manifest.xml").find("encryption-data") != std::string::npos) {
    throw ExtractionError("encrypted OpenDocument file");
  }
  std::string out;
  append_odf_text(zip, "content.xml", false, out);
  if (zip.contains("styles.xml")) append_odf_text(zip, "styles.xml", true, out);
  // Embedded objects (charts, formulas, spreadsheets) are ODF documents in
  // folders of the package ("Object 1/content.xml"); Tika reads them too.
  for (const auto& name : zip.names()) {
    if (name.ends_with("/content.xml") && name.find('/') == name.rfind('/')) {
      append_odf_text(zip, name, false, out);
    }
  }
  return out;
}

}  // namespace connectors::extraction::formats
