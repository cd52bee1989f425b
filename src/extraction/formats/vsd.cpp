#include "extraction/formats/vsd.h"

#include <librevenge-generators/librevenge-generators.h>
#include <librevenge-stream/librevenge-stream.h>
#include <libvisio/libvisio.h>

#include <exception>
#include <optional>
#include <string_view>
#include <vector>

#include "extraction/extract.h"
#include "extraction/formats/ole.h"
#include "extraction/formats/vsd_chunks.h"
#include "extraction/plain_text.h"

namespace connectors::extraction::formats {
namespace {

constexpr std::string_view kField = "\xEF\xBF\xBC";  // U+FFFC, a text field's place

// The text of every page's shapes as libvisio draws them; nullopt, and why in
// `failure`, when libvisio cannot parse the drawing. Throws ExtractionError for
// a file that is no Visio drawing.
std::optional<std::string> drawn_text(const std::filesystem::path& path, std::string& failure) {
  librevenge::RVNGStringVector pages;
  bool parsed = false;
  // libvisio and librevenge throw their own types (and std::bad_alloc) on
  // malformed input; none may leave this function as anything else.
  try {
    librevenge::RVNGFileStream input(path.c_str());
    if (!libvisio::VisioDocument::isSupported(&input)) {
      throw ExtractionError("not a Visio file");
    }
    librevenge::RVNGTextDrawingGenerator generator(pages);
    parsed = libvisio::VisioDocument::parse(&input, &generator);
  } catch (const ExtractionError&) {
    throw;
  } catch (const std::exception& error) {
    failure = std::string("malformed Visio drawing: ") + error.what();
    return std::nullopt;
  } catch (...) {
    failure = "malformed Visio drawing";
    return std::nullopt;
  }
  if (!parsed) {
    failure = "malformed Visio drawing (libvisio could not parse it)";
    return std::nullopt;
  }
  std::string text;
  for (unsigned i = 0; i < pages.size(); ++i) text.append(pages[i].cstr()).append("\n");
  return text;
}

// The texts of the drawing's Text chunks (vsd_chunks.h); none when its
// VisioDocument stream cannot be read.
std::vector<std::string> chunk_texts(const std::filesystem::path& path) {
  try {
    const auto document = OleStorage::open(path).read("VisioDocument", kMaxOleStreamBytes);
    if (document) return visio_chunk_texts(*document);
  } catch (const ExtractionError&) {
  }
  return {};
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of("\n\r\v\f", start);
    if (end == std::string_view::npos) end = text.size();
    std::string line = reduce_whitespace(text.substr(start, end - start));
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// The literal pieces of a Text chunk's line around its fields, whitespace reduced.
std::vector<std::string> pieces_of(std::string_view line) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  for (std::size_t field = line.find(kField); field != std::string_view::npos;
       field = line.find(kField, start)) {
    pieces.push_back(reduce_whitespace(line.substr(start, field - start)));
    start = field + kField.size();
  }
  pieces.push_back(reduce_whitespace(line.substr(start)));
  return pieces;
}

// Whether libvisio's line `shown` is the chunk line of `pieces`, with a value
// (libvisio's text of the field) in place of each field.
bool shows(std::string_view shown, const std::vector<std::string>& pieces) {
  if (pieces.size() == 1) return shown == pieces.front();
  if (!shown.starts_with(pieces.front()) || !shown.ends_with(pieces.back())) return false;
  std::size_t at = pieces.front().size();
  for (std::size_t i = 1; i + 1 < pieces.size(); ++i) {
    at = shown.find(pieces[i], at);
    if (at == std::string_view::npos) return false;
    at += pieces[i].size();
  }
  return shown.size() - at >= pieces.back().size();
}

// Lines of the Text chunks that libvisio's text does not show (the fields
// left out), one per line.
std::string missing_lines(const std::string& drawn, const std::vector<std::string>& texts) {
  const std::vector<std::string> shown = lines_of(drawn);
  std::string missing;
  for (const std::string& text : texts) {
    for (const std::string& line : lines_of(text)) {
      const std::vector<std::string> pieces = pieces_of(line);
      bool found = false;
      for (const std::string& candidate : shown) found = found || shows(candidate, pieces);
      if (found) continue;
      std::string joined;
      for (const std::string& piece : pieces) {
        if (piece.empty()) continue;
        if (!joined.empty()) joined.push_back(' ');
        joined.append(piece);
      }
      if (!joined.empty()) missing.append(joined).push_back('\n');
    }
  }
  return missing;
}

}  // namespace

std::string vsd_text(const std::filesystem::path& path) {
  std::string failure;
  const std::optional<std::string> drawn = drawn_text(path, failure);
  const std::vector<std::string> texts = chunk_texts(path);
  if (!drawn) {
    // What the chunks hold of a drawing libvisio cannot parse.
    if (texts.empty()) throw ExtractionError(failure);
    return missing_lines("", texts);
  }
  return *drawn + missing_lines(*drawn, texts);
}

}  // namespace connectors::extraction::formats
