#include "extraction/formats/odf.h"

#include <gtest/gtest.h>

#include "corpus.h"

namespace connectors::extraction {
namespace {

using testing::corpus_file;
using testing::corpus_prefix;
using testing::error_of;
using testing::extract_corpus;
using testing::ScratchFile;

TEST(OdtFormat, ParagraphsNotesFramesAndFooters) {
  // Tika's ODFParserTest expectations.
  EXPECT_EQ(extract_corpus("odf", "testOpenOffice2.odt"),
            "This is a sample Open Office document, written in NeoOffice 2.2.1 for the Mac.");
  EXPECT_EQ(extract_corpus("odf", "testFooter.odt"),
            "Here is some text... Here is some text on page 2 Here is footer text");
  const std::string ooo3 = extract_corpus("odf", "testODFwithOOo3.odt");
  for (const char* part :
       {"Tika is part of the Lucene project.", "This is of course a simple footnote",
        "This is a rectangle with a blue background and dark border",
        "First item Second item Third item", "Solr: Various, Solr website, 2009",
        "1 one embedded 2 two embedded"}) {
    EXPECT_NE(ooo3.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(ooo3.find(", , :"), std::string::npos) << "index templates are not text";
  EXPECT_EQ(ooo3.find("classic"), std::string::npos) << "a formula object is not text";
}

TEST(OdtFormat, SpacesTabsBreaksTablesListsAnnotations) {
  const std::string raw = formats::odt_file(corpus_file("odf", "generated.odt"));
  EXPECT_NE(raw.find("Alpha   beta\tgamma\ndelta 1\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Region\n\tSales\n\t\nNorth\n\t120\n\t\n"), std::string::npos) << raw;
  EXPECT_EQ(extract_corpus("odf", "generated.odt"),
            "Annual report Alpha beta gamma delta 1 A footnote body An annotation Region Sales "
            "North 120 First point Second point Confidential footer");
}

TEST(OdtFormat, HostileSpaceCountIsCapped) {
  // text:c="2000000000" must not build a 2 GB string.
  EXPECT_EQ(extract_corpus("odf", "huge_space.odt"), "a b");
}

TEST(OdtFormat, EncryptedTruncatedOrForeignFilesAreErrors) {
  EXPECT_EQ(error_of(corpus_file("odf", "testODTEncrypted.odt")), "encrypted OpenDocument file");
  // A text file named .odt is read as text, as Tika (which types by content) does.
  EXPECT_EQ(extract_file(corpus_file("odf", "testODTnotaZipFile.odt"), ".odt"),
            "This is not a zip file!");
  ScratchFile truncated("truncated.odt", corpus_prefix("odf", "testOpenOffice2.odt", 3000));
  EXPECT_THROW(truncated.extract(), ExtractionError);
}

}  // namespace
}  // namespace connectors::extraction
