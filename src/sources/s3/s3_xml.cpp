#include "sources/s3/s3_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <charconv>
#include <memory>

#include "core/errors.h"
#include "core/iso_time.h"

namespace connectors::sources::s3 {
namespace {

using DocPtr = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

DocPtr parse(std::string_view xml, std::string_view what) {
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr || xmlDocGetRootElement(doc) == nullptr) {
    if (doc) xmlFreeDoc(doc);
    throw SourceError(std::string("s3: the answer to ") + std::string(what) +
                      " is not XML: " + std::string(xml.substr(0, 200)));
  }
  return {doc, &xmlFreeDoc};
}

bool named(const xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE &&
         xmlStrcmp(node->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

std::string text_of(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return out;
}

const xmlNode* child(const xmlNode* parent, const char* name) {
  for (const xmlNode* node = parent->children; node; node = node->next) {
    if (named(node, name)) return node;
  }
  return nullptr;
}

std::string child_text(const xmlNode* parent, const char* name) {
  const xmlNode* node = child(parent, name);
  return node ? text_of(node) : "";
}

void expect_root(const xmlNode* root, const char* name, std::string_view what) {
  if (!named(root, name)) {
    throw SourceError(std::string("s3: the answer to ") + std::string(what) + " is <" +
                      reinterpret_cast<const char*>(root->name) + ">, not <" + name + ">");
  }
}

// The text of the first <tag>…</tag> of `text`, "" without one.
std::string element_text(std::string_view text, const std::string& tag) {
  size_t begin = text.find("<" + tag + ">");
  if (begin == std::string_view::npos) return "";
  begin += tag.size() + 2;
  size_t end = text.find("</" + tag + ">", begin);
  return end == std::string_view::npos ? "" : std::string(text.substr(begin, end - begin));
}

}  // namespace

std::vector<std::string> parse_bucket_names(std::string_view xml) {
  auto doc = parse(xml, "ListBuckets");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  expect_root(root, "ListAllMyBucketsResult", "ListBuckets");
  std::vector<std::string> names;
  if (const xmlNode* buckets = child(root, "Buckets")) {
    for (const xmlNode* node = buckets->children; node; node = node->next) {
      if (named(node, "Bucket")) names.push_back(child_text(node, "Name"));
    }
  }
  return names;
}

ObjectPage parse_object_page(std::string_view xml) {
  auto doc = parse(xml, "ListObjectsV2");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  expect_root(root, "ListBucketResult", "ListObjectsV2");
  ObjectPage page;
  for (const xmlNode* node = root->children; node; node = node->next) {
    if (named(node, "IsTruncated")) {
      page.truncated = text_of(node) == "true";
    } else if (named(node, "NextContinuationToken")) {
      page.next_token = text_of(node);
    } else if (named(node, "Contents")) {
      S3Object object;
      object.key = child_text(node, "Key");
      object.last_modified = child_text(node, "LastModified");
      std::string size = child_text(node, "Size");
      auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), object.size);
      if (ec != std::errc() || end != size.data() + size.size()) {
        throw SourceError("s3: object " + object.key + " has no valid Size: '" + size + "'");
      }
      object.storage_class = child_text(node, "StorageClass");
      if (object.storage_class.empty()) object.storage_class = "STANDARD";
      if (const xmlNode* owner = child(node, "Owner"))
        object.owner = child_text(owner, "DisplayName");
      page.objects.push_back(std::move(object));
    }
  }
  if (page.truncated && page.next_token.empty()) {
    throw SourceError(
        "s3: ListObjectsV2 says the listing is truncated but gives no continuation token");
  }
  return page;
}

std::string parse_location(std::string_view xml) {
  auto doc = parse(xml, "GetBucketLocation");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  expect_root(root, "LocationConstraint", "GetBucketLocation");
  return text_of(root);
}

std::string region_of_location(std::string_view constraint) {
  if (constraint.empty()) return "us-east-1";
  if (constraint == "EU") return "eu-west-1";
  return std::string(constraint);
}

S3ErrorBody parse_error(std::string_view xml) {
  xmlDocPtr raw = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  // An error excerpt cut short is no longer XML: its <Code> is still there.
  if (raw == nullptr) return {element_text(xml, "Code"), element_text(xml, "Message")};
  DocPtr doc(raw, &xmlFreeDoc);
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || !named(root, "Error")) return {};
  return {child_text(root, "Code"), child_text(root, "Message")};
}

std::string python_timestamp(std::string_view last_modified) {
  auto millis = parse_iso_millis(last_modified);
  if (!millis)
    throw SourceError("s3: LastModified '" + std::string(last_modified) + "' is not a date");
  long long seconds = *millis / 1000;
  long long rest = *millis % 1000;
  if (rest < 0) {
    seconds -= 1;
    rest += 1000;
  }
  return iso_utc(seconds, static_cast<long>(rest * 1000000));
}

}  // namespace connectors::sources::s3
