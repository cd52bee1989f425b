#include "extraction/formats/markup.h"

#include <gtest/gtest.h>

#include <chrono>

#include "corpus.h"
#include "extraction/plain_text.h"

namespace connectors::extraction {
namespace {

using testing::extract_corpus;
using testing::ScratchFile;

TEST(HtmlFormat, BodyWithoutHeadOrScripts) {
  // Tika's body text (tika-app -t 2.9.2): the title and meta tags are metadata.
  EXPECT_EQ(extract_corpus("html", "testHTML.html"), "Test Indexation Html Indexation du fichier");
  EXPECT_EQ(extract_corpus("html", "testHTMLBadScript.html"), "This is a test.");
  EXPECT_EQ(extract_corpus("html", "testHTML_script_in_body.html"), "This is a test.");
  EXPECT_EQ(extract_corpus("html", "testXHTML.html"),
            "This document tests the ability of Apache Tika to extract content from an XHTML "
            "document.");
}

TEST(HtmlFormat, InlineElementsJoinBlockElementsSeparate) {
  ScratchFile page("inline.html", "<p>bold<b>face</b></p><p>next</p><ul><li>a</li><li>b</li></ul>");
  EXPECT_EQ(page.extract(), "boldface next a b");
  ScratchFile broken("broken.html", "<html><body><p>unclosed <div>still <i>text");
  EXPECT_EQ(broken.extract(), "unclosed still text");
}

TEST(HtmlFormat, CharsetFromBomMetaOrUtf8) {
  EXPECT_EQ(extract_corpus("html", "testHTML_utf8.html"),
            "Content with UTF-8 chars \xC3\xA5\xC3\xA4\xC3\xB6");
  EXPECT_EQ(extract_corpus("html", "testHTML_charset_utf16le.html"), "This is a sample text");
  EXPECT_EQ(extract_corpus("html", "latin1_meta.html"),
            "cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"
            "e");
}

TEST(HtmlFormat, AspxDropsServerBlocks) {
  EXPECT_EQ(extract_corpus("html", "page.aspx"), "Your order Shipped on Monday. Item one Item two");
}

TEST(HtmlFormat, EmptyPageIsEmptyText) {
  ScratchFile empty("empty.html", "");
  EXPECT_EQ(empty.extract(), "");
  ScratchFile markup_only("markup_only.html", "<html><head><script>x()</script></head></html>");
  EXPECT_EQ(markup_only.extract(), "");
}

TEST(HtmlFormat, DeepNestingDoesNotOverflowTheStack) {
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<div>top";
  EXPECT_EQ(reduce_whitespace(formats::html_text(deep)).substr(0, 7), "top top");
}

TEST(XmlFormat, AllTextNodesAndCdataInOrder) {
  EXPECT_EQ(extract_corpus("xml", "testXML2.xml"), "Title test Subject test");
  EXPECT_EQ(extract_corpus("xml", "cdata.xml"),
            "Quarterly report Revenue <grew> & costs fell see attachment");
  // Tika's XMLParserTest: the Dublin Core values, accents decoded.
  const std::string dc = extract_corpus("xml", "testXML.xml");
  EXPECT_NE(dc.find("Archim\xC3\xA8"
                    "de et Lius \xC3\xA0 Ch\xC3\xA2teauneuf"),
            std::string::npos);
  EXPECT_NE(dc.find("Rida Benjelloun"), std::string::npos);
  EXPECT_EQ(extract_corpus("xml", "testSVG.svg"), "Test SVG image");
  EXPECT_EQ(extract_corpus("xml", "testSVG_no_xml_header.svg"), "Test SVG image");
}

TEST(XmlFormat, ExternalEntitiesAreNeverLoaded) {
  EXPECT_EQ(extract_corpus("xml", "testXXE.xml"), "");
  const std::string text = extract_corpus("xml", "xxe_file.xml");
  EXPECT_EQ(text, "before after");
  EXPECT_EQ(text.find("root:"), std::string::npos);
}

TEST(XmlFormat, EntityExpansionBombFailsFast) {
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(extract_corpus("xml", "billion_laughs.xml"), ExtractionError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(XmlFormat, MalformedXmlNamesTheFileAndLine) {
  ScratchFile truncated("truncated.xml", "<?xml version=\"1.0\"?>\n<a><b>text</b>\n<c>");
  try {
    truncated.extract();
    FAIL() << "no error for truncated XML";
  } catch (const ExtractionError& e) {
    EXPECT_NE(std::string(e.what()).find("extraction_test_truncated.xml: malformed XML (line"),
              std::string::npos)
        << e.what();
  }
  ScratchFile empty("empty.svg", "");
  EXPECT_THROW(empty.extract(), ExtractionError);
}

}  // namespace
}  // namespace connectors::extraction
