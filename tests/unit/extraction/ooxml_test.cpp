#include "extraction/formats/ooxml.h"

#include <gtest/gtest.h>

#include "corpus.h"

namespace connectors::extraction {
namespace {

using testing::corpus_prefix;
using testing::error_of;
using testing::extract_corpus;
using testing::ScratchFile;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DocxFormat, BodyTablesHeadersFootersAsTika) {
  // Tika's OOXMLParserTest.testWordText / testVarious expectations.
  const std::string text = extract_corpus("ooxml", "testWORD.docx");
  for (const char* part :
       {"Sample Word Document", "Heading Level 3", "This is a sample Microsoft Word Document.",
        "Nested table More of our nested table", "This is the header for our document",
        "This is the footer for our document"}) {
    EXPECT_TRUE(contains(text, part)) << part;
  }
  EXPECT_TRUE(text.starts_with("This is the header for our document")) << "headers come first";
  const std::string various = extract_corpus("ooxml", "testWORD_various.docx");
  for (const char* part : {"Row 1 Col 1 Row 1 Col 2", "Here is a text box", "This is a footnote.",
                           "Suddenly some Japanese text:", "\xF0\x90\x8C\xB2\xF0\x90\x8C\xBF"}) {
    EXPECT_TRUE(contains(various, part)) << part;
  }
}

TEST(DocxFormat, FootnotesCommentsAndTextBoxesOnce) {
  EXPECT_EQ(extract_corpus("ooxml", "footnotes.docx"), "Eto ochen prostoy text so snoskoy snoska");
  EXPECT_EQ(extract_corpus("ooxml", "testComment.docx"),
            "Here is some text. Comment by Michael McCandless: Here is a comment");
  // A text box is stored twice (mc:Choice and mc:Fallback): its text comes out once.
  const std::string boxes = extract_corpus("ooxml", "testWORD_text_box.docx");
  EXPECT_EQ(boxes.find("inside of a text box in the body"),
            boxes.rfind("inside of a text box in the body"));
  EXPECT_TRUE(contains(boxes, "text box in the header"));
}

TEST(XlsxFormat, SheetNamesThenCellsRowByRow) {
  const std::string text = extract_corpus("ooxml", "testEXCEL.xlsx");
  EXPECT_TRUE(
      text.starts_with("Feuil1 Sample Excel Worksheet - Numbers and their Squares "
                       "Number Square 1 1 2 4 3 9"))
      << text;
  EXPECT_TRUE(contains(text, "15 225 Written and saved in Microsoft Excel X for Mac"));
  EXPECT_TRUE(text.ends_with("Feuil2 Feuil3"));
  // Strict OOXML: other namespaces, same structure.
  EXPECT_TRUE(contains(extract_corpus("ooxml", "testEXCEL.strict.xlsx"),
                       "Sheet Number 2 Start of 2nd sheet Sheet 2 row 2"));
  EXPECT_EQ(extract_corpus("ooxml", "testEXCEL_macro.xlsm"),
            "Sheet1 This is a blank worksheet However, a macro is about to be created Sheet2 "
            "Sheet3");
}

// Tika's testEXCEL_textbox / testEXCEL_charts: a sheet's drawing (text
// boxes, shapes) and its charts (title, cached names, categories and values,
// numbers as Tika prints them) after its cells.
TEST(XlsxFormat, DrawingsAndChartsAfterTheCells) {
  EXPECT_TRUE(contains(extract_corpus("ooxml", "testEXCEL_textbox.xlsx"),
                       "Sheet1 this is some autoshape text Sheet2"));
  const std::string charts = extract_corpus("ooxml", "testEXCEL_charts.xlsx");
  EXPECT_TRUE(contains(charts, "August 6 is a panda wants a peach")) << charts;
  EXPECT_TRUE(contains(charts, "NUMBER January February March")) << charts;
  EXPECT_TRUE(contains(charts, "August 5.0 8.0 4.0 7.0")) << charts;
}

TEST(XlsxFormat, CellValuesAsTheGeneralFormatShowsThem) {
  EXPECT_EQ(formats::xlsx_file(testing::corpus_file("ooxml", "generated.xlsx")),
            "Data\nName\tAmount\tPaid\nAlice "
            "PHONETIC\t0.1\tTRUE\nBob\t1234567.5\tFALSE\nTotal\t1234567.6\n"
            "Empty\n");
}

TEST(PptxFormat, SlidesInOrderWithNotesAndComments) {
  const std::string text = extract_corpus("ooxml", "testPPT_various.pptx");
  for (const char* part : {"Row 1 Col 1 Row 1 Col 2", "Here is a text box", "Bullet 3",
                           "This is the footer text.", "\xE3\x82\xBE\xE3\x83\xAB\xE3\x82\xB2"}) {
    EXPECT_TRUE(contains(text, part)) << part;
  }
  EXPECT_EQ(extract_corpus("ooxml", "testComment.pptx"),
            "Here is some text Michael McCandless (MM) - Here is a comment");
  const std::string generated = extract_corpus("ooxml", "generated.pptx");
  EXPECT_LT(generated.find("First slide"), generated.find("Second slide"));
  EXPECT_LT(generated.find("Second slide"), generated.find("Tenth slide"));
  EXPECT_TRUE(contains(generated, "Speaker notes of the second slide"));
}

TEST(PptxFormat, TemplatesReadLikePresentations) {
  EXPECT_TRUE(contains(extract_corpus("ooxml", "generated.potx"), "Quarterly review template"));
}

TEST(VsdxFormat, ShapeTextOfEveryPage) {
  EXPECT_EQ(extract_corpus("ooxml", "testVISIO.vsdx"), "test This is a test. Nothing fancy.");
  EXPECT_EQ(extract_corpus("ooxml", "testVISIO.vsdm"), "test This is a test. Nothing fancy.");
  EXPECT_EQ(extract_corpus("ooxml", "testVISIO_text.vsdx"),
            "Text here Text there Text, text, everywhere! Router here");
}

TEST(OoxmlFormat, BrokenPackagesSayWhatIsWrong) {
  EXPECT_EQ(error_of(testing::corpus_file("ooxml", "testWORD_protected_passtika.docx")),
            "an OLE2 file, not an OOXML zip: encrypted, or a legacy Office format");
  ScratchFile truncated("truncated.docx", corpus_prefix("ooxml", "testWORD.docx", 4000));
  EXPECT_EQ(error_of(truncated.path()), "not a readable zip archive (Not a zip archive)");
  // A zip that is no Word document.
  EXPECT_EQ(error_of(testing::corpus_file("ooxml", "no_document.docx")),
            "zip entry word/document.xml missing");
  EXPECT_EQ(error_of(testing::corpus_file("ooxml", "malformed_document.docx")).substr(0, 40),
            "word/document.xml: malformed XML (line 1");
  ScratchFile empty("empty.xlsx", "");
  EXPECT_THROW(empty.extract(), ExtractionError);
}

}  // namespace
}  // namespace connectors::extraction
