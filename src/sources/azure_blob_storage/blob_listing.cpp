#include "sources/azure_blob_storage/blob_listing.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <stdexcept>

namespace connectors::sources::azure {
namespace {

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, DocFree>;

XmlDoc parse(std::string_view xml) {
  // No network, no entity expansion: the answer is data, never instructions.
  return XmlDoc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

std::string_view name_of(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

std::string text_of(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return out;
}

const xmlNode* child(const xmlNode* parent, std::string_view name) {
  for (const xmlNode* c = parent ? parent->children : nullptr; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && name_of(c) == name) return c;
  }
  return nullptr;
}

std::optional<std::string> child_text(const xmlNode* parent, std::string_view name) {
  const xmlNode* c = child(parent, name);
  if (c == nullptr) return std::nullopt;
  return text_of(c);
}

Metadata metadata_of(const xmlNode* element) {
  Metadata out;
  for (const xmlNode* c = element ? element->children : nullptr; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.emplace_back(std::string(name_of(c)), text_of(c));
  }
  return out;
}

// Percent-decoding of a <Name Encoded="true">: names with characters XML cannot hold.
std::string percent_decode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string name_text(const xmlNode* item) {
  const xmlNode* name = child(item, "Name");
  if (name == nullptr) throw std::runtime_error("an entry without <Name>");
  std::string text = text_of(name);
  xmlChar* encoded = xmlGetProp(name, reinterpret_cast<const xmlChar*>("Encoded"));
  bool is_encoded = encoded && std::string_view(reinterpret_cast<const char*>(encoded)) == "true";
  xmlFree(encoded);
  return is_encoded ? percent_decode(text) : text;
}

// The root EnumerationResults, and the entries of its list element.
template <typename Item, typename Read>
ListPage<Item> parse_list(std::string_view xml, std::string_view list, std::string_view entry,
                          Read read) {
  XmlDoc doc = parse(xml);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (root == nullptr || name_of(root) != "EnumerationResults") {
    throw std::runtime_error("the answer is not an EnumerationResults document");
  }
  ListPage<Item> page;
  for (const xmlNode* c = child(root, list) ? child(root, list)->children : nullptr; c;
       c = c->next) {
    if (c->type == XML_ELEMENT_NODE && name_of(c) == entry) page.items.push_back(read(c));
  }
  page.next_marker = child_text(root, "NextMarker").value_or("");
  return page;
}

}  // namespace

ListPage<ContainerItem> parse_container_list(std::string_view xml) {
  return parse_list<ContainerItem>(xml, "Containers", "Container", [](const xmlNode* node) {
    ContainerItem item;
    item.name = name_text(node);
    if (const xmlNode* metadata = child(node, "Metadata")) item.metadata = metadata_of(metadata);
    return item;
  });
}

ListPage<BlobItem> parse_blob_list(std::string_view xml) {
  return parse_list<BlobItem>(xml, "Blobs", "Blob", [](const xmlNode* node) {
    BlobItem item;
    item.name = name_text(node);
    const xmlNode* p = child(node, "Properties");
    item.creation_time = child_text(p, "Creation-Time").value_or("");
    item.last_modified = child_text(p, "Last-Modified").value_or("");
    std::string length = child_text(p, "Content-Length").value_or("0");
    try {
      item.size = length.empty() ? 0 : std::stoll(length);
    } catch (const std::exception&) {
      throw std::runtime_error("blob '" + item.name + "': Content-Length '" + length +
                               "' is not a number");
    }
    item.content_type = child_text(p, "Content-Type");
    item.access_tier = child_text(p, "AccessTier");
    item.lease_status = child_text(p, "LeaseStatus");
    item.lease_state = child_text(p, "LeaseState");
    item.lease_duration = child_text(p, "LeaseDuration");
    item.metadata = metadata_of(child(node, "Metadata"));
    return item;
  });
}

std::string error_code(std::string_view xml) {
  XmlDoc doc = parse(xml);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (root == nullptr || name_of(root) != "Error") return "";
  return child_text(root, "Code").value_or("");
}

}  // namespace connectors::sources::azure
