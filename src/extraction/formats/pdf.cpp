#include "extraction/formats/pdf.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <memory>
#include <mutex>

#include "extraction/extract.h"
#include "extraction/formats/text.h"

namespace connectors::extraction::formats {
namespace {

// Poppler prints its complaints about damaged files to stderr; the reason a
// file fails is ours to report, once, to the job.
void quiet_poppler() {
  static std::once_flag once;
  std::call_once(
      once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

}  // namespace

std::string pdf_file(const std::filesystem::path& path) {
  quiet_poppler();
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path.string()));
  if (doc == nullptr) {
    // PDF readers accept the header anywhere in the first kilobyte.
    const bool has_header = read_file_head(path, 1024).find("%PDF-") != std::string::npos;
    throw ExtractionError(has_header ? "damaged PDF (no readable cross-reference or catalog)"
                                     : "not a PDF (no %PDF- header)");
  }
  if (doc->is_locked()) throw ExtractionError("encrypted PDF");
  std::string out;
  const int pages = doc->pages();
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (page == nullptr) continue;
    const poppler::byte_array utf8 =
        page->text(poppler::rectf(), poppler::page::raw_order_layout).to_utf8();
    out.append(utf8.begin(), utf8.end());
    out += '\n';
  }
  return out;
}

}  // namespace connectors::extraction::formats
