#include "extraction/formats/vsd.h"

#include <librevenge-generators/librevenge-generators.h>
#include <librevenge-stream/librevenge-stream.h>
#include <libvisio/libvisio.h>

#include <exception>

#include "extraction/extract.h"

namespace connectors::extraction::formats {

std::string vsd_text(const std::filesystem::path& path) {
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
    throw ExtractionError(std::string("malformed Visio drawing: ") + error.what());
  } catch (...) {
    throw ExtractionError("malformed Visio drawing");
  }
  if (!parsed) throw ExtractionError("malformed Visio drawing (libvisio could not parse it)");
  std::string text;
  for (unsigned i = 0; i < pages.size(); ++i) text.append(pages[i].cstr()).append("\n");
  return text;
}

}  // namespace connectors::extraction::formats
