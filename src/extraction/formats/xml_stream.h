// A streaming, XXE-safe XML reader (libxml2's xmlTextReader) for the XML-based
// formats: no network, no external DTD or entity is ever loaded, entities are
// not substituted, and the document is never held as a tree.
#pragma once

#include <algorithm>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "extraction/formats/zip_archive.h"

namespace connectors::extraction::formats {

// Initialises libxml2 once per process: its first use must not race between
// threads. Every parser of the XML-based formats calls it first.
void init_libxml2();

// True when the element name `name` is one of `names` (a list of names).
inline bool is_one_of(std::string_view name, const auto& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class XmlStream {
 public:
  enum class Event { kStart, kEnd, kText };

  // `what` names the document in errors ("word/document.xml").
  XmlStream(std::string_view bytes, std::string what);
  // Reads the zip entry in pieces as it parses.
  explicit XmlStream(ZipArchive::Entry& entry);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Moves to the next event; false at the end of the document. ExtractionError
  // naming the document and line when the XML is malformed. An empty element
  // (<a/>) gives kStart then kEnd.
  bool next();
  Event event() const { return event_; }
  // Local name of the element (kStart, kEnd), without its prefix.
  std::string_view name() const { return name_; }
  // Character data, CDATA included (kText); valid until the next call to next().
  std::string_view text() const { return text_; }
  // Depth of the current element or text (the root element is 0).
  int depth() const { return depth_; }
  // Value of the attribute with this qualified name ("r:id", "name") of the
  // element just started; "" when it has none.
  std::string attribute(const char* qualified_name) const;

  struct Reader;  // libxml2's state, opaque here

 private:
  void open_reader(void* reader);
  std::unique_ptr<Reader> reader_;
  std::string what_;
  Event event_ = Event::kText;
  std::string_view name_;  // libxml2's interned name: valid while the reader lives
  std::string_view text_;  // libxml2's buffer: valid until the next event
  int depth_ = 0;
  bool pending_end_ = false;
};

}  // namespace connectors::extraction::formats
