#include "extraction/formats/markup.h"

#include <libxml/HTMLparser.h>

#include <algorithm>
#include <array>
#include <memory>

#include "extraction/extract.h"
#include "extraction/formats/text.h"
#include "extraction/formats/xml_stream.h"

namespace connectors::extraction::formats {
namespace {

constexpr int kHtmlOptions =
    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;

// Elements whose text runs into the text around them; every other element
// separates its text from its neighbours' ("<b>x</b>y" is "xy", "<p>x</p>y" is
// "x y").
constexpr std::array<std::string_view, 31> kInline = {
    "a",      "abbr",   "b",   "bdi", "bdo",  "big",  "cite", "code", "data", "del",   "dfn",
    "em",     "font",   "i",   "ins", "kbd",  "mark", "q",    "s",    "samp", "small", "span",
    "strike", "strong", "sub", "sup", "time", "tt",   "u",    "var",  "label"};

// Elements whose content is never text for a reader.
constexpr std::array<std::string_view, 6> kSkipped = {"script",   "style",  "noscript",
                                                      "template", "object", "head"};

std::string_view name_of(const xmlNode* node) {
  return node->name == nullptr ? "" : reinterpret_cast<const char*>(node->name);
}

// Walks the tree without recursion: the depth of hostile HTML is unbounded.
void append_body_text(xmlNode* root, std::string& out) {
  xmlNode* node = root;
  while (node != nullptr) {
    bool descend = false;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content != nullptr) out += reinterpret_cast<const char*>(node->content);
    } else if (node->type == XML_ELEMENT_NODE) {
      std::string_view name = name_of(node);
      descend = !is_one_of(name, kSkipped);
      if (!is_one_of(name, kInline)) out += '\n';
    }
    if (descend && node->children != nullptr) {
      node = node->children;
      continue;
    }
    while (node != nullptr && node != root && node->next == nullptr) {
      node = node->parent;
      if (node != nullptr && node->type == XML_ELEMENT_NODE && !is_one_of(name_of(node), kInline)) {
        out += '\n';
      }
    }
    if (node == nullptr || node == root) break;
    node = node->next;
  }
}

}  // namespace

std::string html_text(std::string_view bytes) {
  // libxml2 takes the charset from a BOM or <meta charset>; bytes that are
  // valid UTF-8 are read as UTF-8 rather than its Latin-1 default.
  init_libxml2();
  const bool utf16_bom = bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF");
  const char* encoding = !utf16_bom && is_valid_utf8(bytes) ? "UTF-8" : nullptr;
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
      htmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, encoding, kHtmlOptions),
      xmlFreeDoc);
  if (doc == nullptr) return "";  // nothing the parser could recover: no text
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return "";
  // The <head>, <title> included, is metadata: Tika's body text (what the
  // attachment processor and the extraction service index) leaves it out.
  std::string out;
  append_body_text(root, out);
  return out;
}

std::string html_file(const std::filesystem::path& path) {
  return html_text(read_file_bytes(path));
}

std::string aspx_file(const std::filesystem::path& path) {
  const std::string bytes = read_file_bytes(path);
  std::string html;
  html.reserve(bytes.size());
  size_t at = 0;
  for (size_t open = bytes.find("<%"); open != std::string::npos; open = bytes.find("<%", at)) {
    html.append(bytes, at, open - at);
    size_t close = bytes.find("%>", open + 2);
    at = close == std::string::npos ? bytes.size() : close + 2;
  }
  html.append(bytes, std::min(at, bytes.size()));
  return html_text(html);
}

std::string xml_file(const std::filesystem::path& path) {
  const std::string bytes = read_file_bytes(path);
  XmlStream xml(bytes, path.filename().string());
  std::string out;
  while (xml.next()) {
    if (xml.event() == XmlStream::Event::kText) {
      out += xml.text();
    } else {
      out += ' ';
    }
  }
  return out;
}

}  // namespace connectors::extraction::formats
