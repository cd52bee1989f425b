#include "extraction/formats/xml_stream.h"

#include <libxml/xmlreader.h>

#include <climits>
#include <mutex>

#include "extraction/extract.h"

namespace connectors::extraction::formats {
namespace {

// Network off; no DTD loading, no entity substitution (no XML_PARSE_NOENT):
// the XXE and billion-laughs defences. Errors are collected, never printed.
constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

}  // namespace

void init_libxml2() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

struct XmlStream::Reader {
  xmlTextReaderPtr reader = nullptr;
  ZipArchive::Entry* entry = nullptr;
  std::exception_ptr entry_error;  // a zip error thrown inside libxml2's callback
  std::string first_error;
  ~Reader() {
    if (reader != nullptr) xmlFreeTextReader(reader);
  }
};

namespace {

int read_entry(void* context, char* buffer, int size) {
  auto* state = static_cast<XmlStream::Reader*>(context);
  try {
    return static_cast<int>(state->entry->read(buffer, static_cast<size_t>(size)));
  } catch (...) {  // exceptions must not cross libxml2's C frames
    state->entry_error = std::current_exception();
    return -1;
  }
}

int close_entry(void*) { return 0; }

void collect_error(void* context, xmlErrorPtr error) {
  auto* state = static_cast<XmlStream::Reader*>(context);
  if (state->first_error.empty() && error != nullptr && error->level >= XML_ERR_ERROR) {
    std::string message = error->message == nullptr ? "malformed" : error->message;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    state->first_error = "line " + std::to_string(error->line) + ": " + message;
  }
}

}  // namespace

XmlStream::XmlStream(std::string_view bytes, std::string what)
    : reader_(std::make_unique<Reader>()), what_(std::move(what)) {
  init_libxml2();
  if (bytes.size() > static_cast<size_t>(INT_MAX)) throw ExtractionError(what_ + ": too large");
  open_reader(
      xmlReaderForMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr, kOptions));
}

XmlStream::XmlStream(ZipArchive::Entry& entry)
    : reader_(std::make_unique<Reader>()), what_(entry.name()) {
  init_libxml2();
  reader_->entry = &entry;
  open_reader(xmlReaderForIO(read_entry, close_entry, reader_.get(), nullptr, nullptr, kOptions));
}

XmlStream::~XmlStream() = default;

void XmlStream::open_reader(void* reader) {
  if (reader == nullptr) throw ExtractionError(what_ + ": cannot start the XML parser");
  reader_->reader = static_cast<xmlTextReaderPtr>(reader);
  xmlTextReaderSetStructuredErrorHandler(reader_->reader, collect_error, reader_.get());
}

bool XmlStream::next() {
  if (pending_end_) {
    pending_end_ = false;
    event_ = Event::kEnd;
    return true;
  }
  xmlTextReaderPtr reader = reader_->reader;
  for (;;) {
    int rc = xmlTextReaderRead(reader);
    if (reader_->entry_error) std::rethrow_exception(reader_->entry_error);
    if (rc < 0 || !reader_->first_error.empty()) {
      throw ExtractionError(what_ + ": malformed XML (" +
                            (reader_->first_error.empty() ? "unreadable" : reader_->first_error) +
                            ")");
    }
    if (rc == 0) return false;
    depth_ = xmlTextReaderDepth(reader);
    switch (xmlTextReaderNodeType(reader)) {
      case XML_READER_TYPE_ELEMENT:
        event_ = Event::kStart;
        name_ = reinterpret_cast<const char*>(xmlTextReaderConstLocalName(reader));
        pending_end_ = xmlTextReaderIsEmptyElement(reader) == 1;
        return true;
      case XML_READER_TYPE_END_ELEMENT:
        event_ = Event::kEnd;
        name_ = reinterpret_cast<const char*>(xmlTextReaderConstLocalName(reader));
        return true;
      case XML_READER_TYPE_TEXT:
      case XML_READER_TYPE_CDATA:
      case XML_READER_TYPE_WHITESPACE:
      case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
        event_ = Event::kText;
        const xmlChar* value = xmlTextReaderConstValue(reader);
        text_ = value == nullptr ? std::string_view() : reinterpret_cast<const char*>(value);
        return true;
      }
      default:
        continue;  // comments, processing instructions, entity references, DTD
    }
  }
}

std::string XmlStream::attribute(const char* qualified_name) const {
  xmlChar* value =
      xmlTextReaderGetAttribute(reader_->reader, reinterpret_cast<const xmlChar*>(qualified_name));
  if (value == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

}  // namespace connectors::extraction::formats
