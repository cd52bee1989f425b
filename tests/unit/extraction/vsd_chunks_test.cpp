// The Text chunk reader of Visio binary drawings on drawings built here (each
// structure it must survive) and on a damaged real VisioDocument stream.
#include "extraction/formats/vsd_chunks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "extraction/formats/ole.h"
#include "legacy_fixtures.h"

namespace connectors::extraction::formats {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

void put32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

// A Visio 2000 (version 6) VisioDocument stream, built stream by stream.
class Drawing {
 public:
  struct Stream {
    std::uint32_t offset;
    std::uint32_t length;
  };
  static constexpr std::uint16_t kPointers = 0x50;  // formats: a stream of pointers,
  static constexpr std::uint16_t kChunks = 0xd0;    // of chunks

  Drawing() {
    bytes_ = "Visio (TM) Drawing\r\n";
    bytes_.resize(0x1a, '\0');
    bytes_ += std::string("\x06\x00", 2);
    bytes_.resize(0x24 + 18, '\0');  // the trailer pointer, set by finish()
  }

  // A stream of one Text chunk holding `text` (8-bit: version 6).
  Stream text_chunk(const std::string& text) {
    std::string chunk;
    put32(chunk, 0x0e);  // type: Text
    put32(chunk, 0);
    put32(chunk, 0);  // no trailer
    put32(chunk, static_cast<std::uint32_t>(8 + text.size() + 1));
    chunk.append(3, '\0');
    chunk.append(8, '\0');
    chunk += text;
    chunk.push_back('\0');
    return append(chunk);
  }

  // A stream of pointers to `targets` (each of `format`).
  Stream pointers(const std::vector<std::pair<Stream, std::uint16_t>>& targets) {
    std::string stream;
    put32(stream, 8);  // where the count is
    put32(stream, 0);
    put32(stream, static_cast<std::uint32_t>(targets.size()));
    put32(stream, 0);
    for (const auto& [target, format] : targets) stream += pointer(0x15, target, format);
    return append(stream);
  }

  // A stream of pointers that points to itself first, then to `target`.
  Stream cycle(Stream target) {
    const Stream self{static_cast<std::uint32_t>(bytes_.size()), 16 + 2 * 18};
    std::string stream;
    put32(stream, 8);
    put32(stream, 0);
    put32(stream, 2);
    put32(stream, 0);
    stream += pointer(0x14, self, kPointers) + pointer(0x15, target, kChunks);
    return append(stream);
  }

  std::string finish(Stream trailer) {
    bytes_.replace(0x24, 18, pointer(0x14, trailer, 0));
    return bytes_;
  }

 private:
  static std::string pointer(std::uint32_t type, Stream target, std::uint16_t format) {
    std::string out;
    put32(out, type);
    put32(out, 0);
    put32(out, target.offset);
    put32(out, target.length);
    out.push_back(static_cast<char>(format & 0xff));
    out.push_back(static_cast<char>(format >> 8));
    return out;
  }

  Stream append(const std::string& stream) {
    const Stream placed{static_cast<std::uint32_t>(bytes_.size()),
                        static_cast<std::uint32_t>(stream.size())};
    bytes_ += stream;
    return placed;
  }

  std::string bytes_;
};

TEST(VsdChunksTest, TextChunksReachedThroughThePointerTree) {
  Drawing drawing;
  const auto first = drawing.text_chunk("Hello");
  const auto field = drawing.text_chunk("Width \x1e cm");
  const auto page = drawing.pointers({{first, Drawing::kChunks}, {field, Drawing::kChunks}});
  const auto trailer = drawing.pointers({{page, Drawing::kPointers}});
  EXPECT_THAT(visio_chunk_texts(drawing.finish(trailer)),
              ElementsAre("Hello", "Width \xEF\xBF\xBC cm"));
}

TEST(VsdChunksTest, APointerCycleIsFollowedOnce) {
  Drawing drawing;
  const auto text = drawing.text_chunk("Once");
  const auto loop = drawing.cycle(text);
  const auto trailer = drawing.pointers({{loop, Drawing::kPointers}, {loop, Drawing::kPointers}});
  EXPECT_THAT(visio_chunk_texts(drawing.finish(trailer)), ElementsAre("Once"));
}

TEST(VsdChunksTest, PointersAreFollowedABoundedDepth) {
  Drawing drawing;
  // Level N is N pointer streams below the trailer; each has its own text.
  Drawing::Stream next = drawing.text_chunk("level 40");
  for (int level = 39; level >= 1; --level) {
    const auto text = drawing.text_chunk("level " + std::to_string(level));
    next = drawing.pointers({{text, Drawing::kChunks}, {next, Drawing::kPointers}});
  }
  const auto texts = visio_chunk_texts(drawing.finish(next));
  EXPECT_THAT(texts, Contains("level 1"));
  EXPECT_THAT(texts, Contains("level " + std::to_string(kMaxVisioPointerDepth)));
  EXPECT_THAT(texts, Not(Contains("level 40")));
  EXPECT_EQ(texts.size(), static_cast<std::size_t>(kMaxVisioPointerDepth));
}

// Three literals, then 6 bytes copied from window position 0 (encoded as
// 0xFEE: the window starts 18 bytes in), overlapping what it writes.
TEST(VsdChunksTest, DecompressionCopiesFromTheShiftedWindowAndStopsAtItsCap) {
  const std::string compressed(
      "\x07"
      "abc"
      "\xEE\xF3",
      6);
  EXPECT_EQ(visio_decompress(compressed, 1000), "abcabcabc");
  EXPECT_EQ(visio_decompress(compressed, 5), "abcab");
  EXPECT_EQ(visio_decompress(compressed.substr(0, 5), 1000), "abc");  // a cut reference
}

TEST(VsdChunksTest, NotAVisioDocumentStreamHasNoText) {
  EXPECT_TRUE(visio_chunk_texts("").empty());
  EXPECT_TRUE(visio_chunk_texts("Visio (TM) Drawing\r\n").empty());
  EXPECT_TRUE(visio_chunk_texts(std::string(4096, 'x')).empty());
}

std::string visio_document(const std::string& fixture) {
  return OleStorage::open(testing::fixture(fixture))
      .read("VisioDocument", kMaxOleStreamBytes)
      .value();
}

// Every cut and a few hundred bit-flipped copies of a real stream: read up to
// the damage, no bad read (ASan), no endless walk.
TEST(VsdChunksTest, DamagedStreamsYieldWhatIsReadable) {
  for (const char* fixture : {"vsd/testVISIO.vsd", "vsd/Visio5TextFieldsWithUnits.vsd"}) {
    const std::string document = visio_document(fixture);
    ASSERT_FALSE(visio_chunk_texts(document).empty()) << fixture;
    for (std::size_t size = 0; size < document.size(); size += 61) {
      const auto texts = visio_chunk_texts(document.substr(0, size));
      EXPECT_LE(texts.size(), 64u) << fixture << " cut at " << size;
    }
    std::uint32_t state = 20261206;
    const auto next = [&state] { return state = state * 1664525u + 1013904223u; };
    for (int copy = 0; copy < 300; ++copy) {
      std::string flipped = document;
      for (int flip = 0; flip < 8; ++flip) {
        flipped[next() % flipped.size()] ^= static_cast<char>(1u << (next() % 8));
      }
      visio_chunk_texts(flipped);
    }
  }
}

}  // namespace
}  // namespace connectors::extraction::formats
