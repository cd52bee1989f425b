#include "extraction/formats/pdf.h"

#include <gtest/gtest.h>

#include "corpus.h"

namespace connectors::extraction {
namespace {

using testing::corpus_prefix;
using testing::extract_corpus;
using testing::ScratchFile;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(PdfFormat, TextOfEveryPage) {
  // Tika's PDFParserTest expectations.
  const std::string tika = extract_corpus("pdf", "testPDF.pdf");
  EXPECT_TRUE(contains(tika,
                       "Apache Tika is a toolkit for detecting and extracting metadata and "
                       "structured text content from various documents using existing "
                       "parser libraries."))
      << tika;
  EXPECT_EQ(extract_corpus("pdf", "testPageNumber.pdf"), "1 This is page one.");
  EXPECT_EQ(extract_corpus("pdf", "testPDFTwoTextBoxes.pdf"),
            "Left column line 1 Left column line 2 Right column line 1 Right column line 2");
  EXPECT_EQ(extract_corpus("pdf", "testOverlappingText.pdf"),
            "Text the first time Text the second time");
}

TEST(PdfFormat, OwnerPasswordOnlyStillReads) {
  // Restricted (copying forbidden) but with an empty user password: readable.
  EXPECT_EQ(extract_corpus("pdf", "testPDF_no_extract_no_accessibility_owner_empty.pdf"),
            "Hello World");
}

TEST(PdfFormat, ImageOnlyPdfIsEmptyText) { EXPECT_EQ(extract_corpus("pdf", "testOCR.pdf"), ""); }

TEST(PdfFormat, EncryptedPdfIsAnError) {
  for (const char* name : {"testPassword4Spaces.pdf", "testUnicodePassword.pdf"}) {
    try {
      extract_corpus("pdf", name);
      ADD_FAILURE() << name << " gave no error";
    } catch (const ExtractionError& e) {
      EXPECT_STREQ(e.what(), "encrypted PDF") << name;
    }
  }
}

TEST(PdfFormat, DamagedOrForeignFilesAreErrors) {
  ScratchFile truncated("truncated.pdf", corpus_prefix("pdf", "testPDF.pdf", 6000));
  try {
    truncated.extract();
    FAIL() << "no error for a truncated PDF";
  } catch (const ExtractionError& e) {
    EXPECT_STREQ(e.what(), "damaged PDF (no readable cross-reference or catalog)");
  }
  ScratchFile text("text.pdf", "just some text");
  try {
    text.extract();
    FAIL() << "no error for a text file named .pdf";
  } catch (const ExtractionError& e) {
    EXPECT_STREQ(e.what(), "not a PDF (no %PDF- header)");
  }
  ScratchFile empty("empty.pdf", "");
  EXPECT_THROW(empty.extract(), ExtractionError);
}

}  // namespace
}  // namespace connectors::extraction
