#include "sync/content_extract.h"

#include "extraction/plain_text.h"

namespace connectors::sync {

bool wants_content(const sources::ContentRef& ref) {
  return extraction::is_plain_text_extension(ref.extension);
}

void add_content(sources::Document& doc, const SpooledContent& content) {
  if (content.in_memory()) {
    doc.fields["body"] = extraction::sanitize_utf8(content.buffer());
  } else {
    doc.fields["body"] = extraction::sanitize_utf8(content.read_all());
  }
}

}  // namespace connectors::sync
