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

// A one-page PDF with nothing on it, kept open for the process's lifetime.
constexpr char kEmptyPdf[] =
    "%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>>endobj\n"
    "trailer<</Root 1 0 R>>\n%%EOF\n";

// Once per process: poppler prints its complaints about damaged files to
// stderr (the reason a file fails is ours to report, once, to the job); and
// poppler-cpp builds its global state (font lists) when the first document
// opens and tears it down when the last one closes, which costs milliseconds
// per file: one document kept open keeps that state alive.
void init_poppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
    // Never destroyed: at exit, poppler's own statics may already be gone.
    static const poppler::document* const keeper =
        poppler::document::load_from_raw_data(kEmptyPdf, sizeof kEmptyPdf - 1);
    (void)keeper;
  });
}

}  // namespace

std::string pdf_file(const std::filesystem::path& path) {
  init_poppler();
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
