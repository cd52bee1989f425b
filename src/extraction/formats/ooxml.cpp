#include "extraction/formats/ooxml.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <vector>

#include "extraction/extract.h"
#include "extraction/formats/cell_format.h"
#include "extraction/formats/opc.h"
#include "extraction/formats/text.h"
#include "extraction/formats/xml_stream.h"
#include "extraction/formats/zip_archive.h"

namespace connectors::extraction::formats {
namespace {

using Event = XmlStream::Event;

// The targets of the r:id attributes of `element`s of `part`, in document
// order (sheets of a workbook, slides of a presentation).
std::vector<std::string> listed_parts(const ZipArchive& zip, const std::string& part,
                                      std::string_view element, std::vector<std::string>* names) {
  const auto rels = relationships_of(zip, part);
  std::vector<std::string> out;
  auto entry = zip.open(part);
  XmlStream xml(*entry);
  while (xml.next()) {
    if (xml.event() != Event::kStart || xml.name() != element) continue;
    out.push_back(target_with_id(rels, xml.attribute("r:id")));
    if (names != nullptr) names->push_back(xml.attribute("name"));
  }
  return out;
}

// The package's main part (word/document.xml, ...), from _rels/.rels.
std::string main_part(const ZipArchive& zip, const std::string& usual) {
  auto targets = targets_of(relationships_of(zip, ""), "officeDocument");
  std::string part = targets.empty() ? usual : targets.front();
  if (!zip.contains(part)) throw ExtractionError("zip entry " + part + " missing");
  return part;
}

// WordprocessingML and DrawingML text: the content of <t> elements, with
// breaks for paragraphs, line breaks and table rows, and tabs for tabs and
// table cells. mc:Fallback repeats its mc:Choice, so it is skipped.
void append_run_text(const ZipArchive& zip, const std::string& part, std::string& out) {
  auto entry = zip.open(part);
  XmlStream xml(*entry);
  int in_text = 0;
  int skip_depth = -1;
  while (xml.next()) {
    if (skip_depth >= 0) {
      if (xml.event() == Event::kEnd && xml.depth() == skip_depth) skip_depth = -1;
      continue;
    }
    const std::string_view name = xml.name();
    switch (xml.event()) {
      case Event::kStart:
        if (name == "Fallback") skip_depth = xml.depth();
        // A Word comment, introduced as Tika does.
        if (name == "comment") out += "Comment by " + xml.attribute("w:author") + ": ";
        if (name == "t") ++in_text;
        if (name == "tab") out += '\t';
        if (name == "br" || name == "cr") out += '\n';
        break;
      case Event::kEnd:
        if (name == "t") --in_text;
        if (name == "p" || name == "tr") out += '\n';
        if (name == "tc") out += '\t';
        break;
      case Event::kText:
        if (in_text > 0) out += xml.text();
        break;
    }
  }
  out += '\n';
}

// Slide comments (p:cm), each introduced by its author as Tika does:
// "Name (initials) - text".
void append_slide_comments(const ZipArchive& zip, const std::string& part,
                           const std::map<std::string, std::string>& authors, std::string& out) {
  auto entry = zip.open(part);
  XmlStream xml(*entry);
  int in_text = 0;
  while (xml.next()) {
    if (xml.event() == Event::kStart && xml.name() == "cm") {
      auto author = authors.find(xml.attribute("authorId"));
      if (author != authors.end()) out += author->second + " - ";
    }
    if (xml.name() == "text" && xml.event() != Event::kText) {
      in_text += xml.event() == Event::kStart ? 1 : -1;
      if (xml.event() == Event::kEnd) out += '\n';
    }
    if (xml.event() == Event::kText && in_text > 0) out += xml.text();
  }
}

// Comment authors of a presentation by id: "Name (initials)".
std::map<std::string, std::string> comment_authors(const ZipArchive& zip,
                                                   const std::vector<Relationship>& rels) {
  std::map<std::string, std::string> out;
  for (const auto& part : targets_of(rels, "commentAuthors")) {
    if (!zip.contains(part)) continue;
    auto entry = zip.open(part);
    XmlStream xml(*entry);
    while (xml.next()) {
      if (xml.event() == Event::kStart && xml.name() == "cmAuthor") {
        out[xml.attribute("id")] = xml.attribute("name") + " (" + xml.attribute("initials") + ")";
      }
    }
  }
  return out;
}

// Parts named prefix + N + suffix, by N (slide2 before slide10).
std::vector<std::string> numbered_parts(const ZipArchive& zip, const std::string& prefix,
                                        const std::string& suffix) {
  std::vector<std::pair<long, std::string>> found;
  for (const auto& name : zip.names()) {
    if (!name.starts_with(prefix) || !name.ends_with(suffix)) continue;
    const std::string middle =
        name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    long number = 0;
    auto [end, ec] = std::from_chars(middle.data(), middle.data() + middle.size(), number);
    if (ec == std::errc() && end == middle.data() + middle.size()) found.emplace_back(number, name);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [number, name] : found) out.push_back(std::move(name));
  return out;
}

// --- spreadsheets ---

std::vector<std::string> shared_strings(const ZipArchive& zip, const std::string& part) {
  std::vector<std::string> out;
  if (part.empty() || !zip.contains(part)) return out;
  auto entry = zip.open(part);
  XmlStream xml(*entry);
  int in_text = 0;
  while (xml.next()) {
    if (xml.event() == Event::kStart) {
      if (xml.name() == "si") out.emplace_back();
      // A phonetic reading (furigana) follows its string after a space, as in Tika.
      if (xml.name() == "rPh" && !out.empty()) out.back() += ' ';
      if (xml.name() == "t") ++in_text;
    } else if (xml.event() == Event::kEnd) {
      if (xml.name() == "t") --in_text;
    } else if (in_text > 0 && !out.empty()) {
      out.back() += xml.text();
    }
  }
  return out;
}

// How the workbook shows numbers: the number format of each cell style
// (xl/styles.xml), and whether dates count from 1904.
struct NumberStyles {
  std::vector<std::string> format_of_style;  // by the cell's s="N"
  bool date1904 = false;
};

NumberStyles number_styles(const ZipArchive& zip, const std::string& workbook,
                           const std::vector<Relationship>& rels) {
  NumberStyles styles;
  {
    auto entry = zip.open(workbook);
    XmlStream xml(*entry);
    while (xml.next()) {
      if (xml.event() == Event::kStart && xml.name() == "workbookPr") {
        const std::string flag = xml.attribute("date1904");
        styles.date1904 = flag == "1" || flag == "true";
        break;
      }
    }
  }
  const auto parts = targets_of(rels, "styles");
  if (parts.empty() || !zip.contains(parts.front())) return styles;
  std::map<int, std::string> custom;
  auto entry = zip.open(parts.front());
  XmlStream xml(*entry);
  bool in_cell_styles = false;
  while (xml.next()) {
    if (xml.event() == Event::kEnd && xml.name() == "cellXfs") in_cell_styles = false;
    if (xml.event() != Event::kStart) continue;
    const int id = std::atoi(xml.attribute("numFmtId").c_str());
    if (xml.name() == "numFmt") custom[id] = xml.attribute("formatCode");
    if (xml.name() == "cellXfs") in_cell_styles = true;
    if (xml.name() == "xf" && in_cell_styles) {
      auto it = custom.find(id);
      styles.format_of_style.emplace_back(
          it != custom.end() ? it->second : excel_builtin_format(static_cast<unsigned>(id)));
    }
  }
  return styles;
}

std::string cell_text(const std::string& type, const std::string& value, const std::string& style,
                      const std::vector<std::string>& strings, const NumberStyles& styles) {
  if (type == "s") {
    size_t index = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
    return ec == std::errc() && index < strings.size() ? strings[index] : "";
  }
  if (type == "b") return value == "1" ? "TRUE" : "FALSE";
  if (type == "str" || type == "inlineStr" || type == "e") return value;
  char* end = nullptr;
  const double number = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size()) return value;
  const size_t index = style.empty() ? 0 : static_cast<size_t>(std::atol(style.c_str()));
  const std::string_view code = index < styles.format_of_style.size()
                                    ? std::string_view(styles.format_of_style[index])
                                    : std::string_view();
  return excel_formatted_number(number, code, styles.date1904);
}

void append_sheet(const ZipArchive& zip, const std::string& part,
                  const std::vector<std::string>& strings, const NumberStyles& styles,
                  std::string& out) {
  auto entry = zip.open(part);
  XmlStream xml(*entry);
  std::string type;
  std::string style;
  std::string value;
  bool in_value = false;
  bool first_in_row = true;
  while (xml.next()) {
    const std::string_view name = xml.name();
    if (xml.event() == Event::kStart) {
      if (name == "c") {
        type = xml.attribute("t");
        style = xml.attribute("s");
        value.clear();
      }
      // <v> holds the value; <t> of an inline string (<is>) too. <f> (formula) not.
      in_value = name == "v" || (name == "t" && type == "inlineStr");
    } else if (xml.event() == Event::kEnd) {
      if (name == "v" || name == "t") in_value = false;
      if (name == "c") {
        std::string text = cell_text(type, value, style, strings, styles);
        if (!text.empty()) {
          if (!first_in_row) out += '\t';
          out += text;
          first_in_row = false;
        }
      }
      if (name == "row") {
        out += '\n';
        first_in_row = true;
      }
    } else if (in_value) {
      value += xml.text();
    }
  }
}

}  // namespace

std::string docx_file(const std::filesystem::path& path) {
  const ZipArchive zip = open_package(path);
  const std::string document = main_part(zip, "word/document.xml");
  const auto rels = relationships_of(zip, document);
  std::string out;
  // A part a relationship names but the zip lacks is skipped, as Tika does.
  auto append = [&](std::string_view type) {
    for (const auto& part : targets_of(rels, type)) {
      if (zip.contains(part)) append_run_text(zip, part, out);
    }
  };
  append("header");
  append_run_text(zip, document, out);
  for (const char* type : {"footnotes", "endnotes", "comments", "footer"}) append(type);
  return out;
}

// A chart's text: its titles (DrawingML <a:t>), then the cached series names,
// categories and values (<c:v>), numbers as Tika prints them (Java's double:
// "5.0").
void append_chart_text(const ZipArchive& zip, const std::string& part, std::string& out) {
  auto entry = zip.open(part);
  XmlStream xml(*entry);
  int in_text = 0, in_numbers = 0;
  while (xml.next()) {
    const std::string_view name = xml.name();
    if (xml.event() == Event::kStart || xml.event() == Event::kEnd) {
      const int step = xml.event() == Event::kStart ? 1 : -1;
      if (name == "t" || name == "v") in_text += step;
      if (name == "numCache" || name == "numLit") in_numbers += step;
      if (xml.event() == Event::kEnd && (name == "t" || name == "v")) out += ' ';
      continue;
    }
    if (xml.event() != Event::kText || in_text <= 0) continue;
    std::string text(xml.text());
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (in_numbers > 0 && error == std::errc() && end == text.data() + text.size() &&
        value == static_cast<double>(static_cast<long long>(value)) && std::abs(value) < 1e7) {
      text = std::to_string(static_cast<long long>(value)) + ".0";
    }
    out += text;
  }
  out += '\n';
}

void append_sheet_drawings(const ZipArchive& zip, const std::string& sheet_part, std::string& out) {
  for (const std::string& drawing : targets_of(relationships_of(zip, sheet_part), "drawing")) {
    if (!zip.contains(drawing)) continue;
    append_run_text(zip, drawing, out);
    for (const std::string& chart : targets_of(relationships_of(zip, drawing), "chart")) {
      if (zip.contains(chart)) append_chart_text(zip, chart, out);
    }
  }
}

std::string xlsx_file(const std::filesystem::path& path) {
  const ZipArchive zip = open_package(path);
  const std::string workbook = main_part(zip, "xl/workbook.xml");
  const auto rels = relationships_of(zip, workbook);
  const auto string_parts = targets_of(rels, "sharedStrings");
  const auto strings = shared_strings(zip, string_parts.empty() ? "" : string_parts.front());
  const NumberStyles styles = number_styles(zip, workbook, rels);
  std::vector<std::string> names;
  const auto sheets = listed_parts(zip, workbook, "sheet", &names);
  std::string out;
  for (size_t i = 0; i < sheets.size(); ++i) {
    const std::string& part = sheets[i];
    out += names[i];
    out += '\n';
    // Chart sheets and dialog sheets have no cells.
    if (!part.empty() && zip.contains(part) && part.find("worksheets/") != std::string::npos) {
      append_sheet(zip, part, strings, styles, out);
      append_sheet_drawings(zip, part, out);
    }
  }
  return out;
}

std::string pptx_file(const std::filesystem::path& path) {
  const ZipArchive zip = open_package(path);
  const std::string presentation = main_part(zip, "ppt/presentation.xml");
  // Slides in the order of the presentation's slide list (p:sldIdLst);
  // numbered names for a package without one.
  std::vector<std::string> slides = listed_parts(zip, presentation, "sldId", nullptr);
  const auto authors = comment_authors(zip, relationships_of(zip, presentation));
  if (slides.empty()) slides = numbered_parts(zip, "ppt/slides/slide", ".xml");
  std::string out;
  for (const auto& slide : slides) {
    if (!zip.contains(slide)) continue;
    append_run_text(zip, slide, out);
    const auto rels = relationships_of(zip, slide);
    for (const auto& notes : targets_of(rels, "notesSlide")) {
      if (zip.contains(notes)) append_run_text(zip, notes, out);
    }
    for (const auto& comments : targets_of(rels, "comments")) {
      if (zip.contains(comments)) append_slide_comments(zip, comments, authors, out);
    }
  }
  return out;
}

std::string vsdx_file(const std::filesystem::path& path) {
  const ZipArchive zip = open_package(path);
  main_part(zip, "visio/document.xml");
  std::string out;
  for (const auto& page : numbered_parts(zip, "visio/pages/page", ".xml")) {
    auto entry = zip.open(page);
    XmlStream xml(*entry);
    int in_text = 0;
    while (xml.next()) {
      if (xml.name() == "Text" && xml.event() == Event::kStart) ++in_text;
      if (xml.name() == "Text" && xml.event() == Event::kEnd) {
        --in_text;
        out += '\n';
      }
      if (xml.event() == Event::kText && in_text > 0) out += xml.text();
    }
  }
  return out;
}

}  // namespace connectors::extraction::formats
