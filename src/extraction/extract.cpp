#include "extraction/extract.h"

#include <algorithm>
#include <array>

#include "extraction/formats/doc.h"
#include "extraction/formats/markup.h"
#include "extraction/formats/msg.h"
#include "extraction/formats/odf.h"
#include "extraction/formats/ooxml.h"
#include "extraction/formats/pdf.h"
#include "extraction/formats/ppt.h"
#include "extraction/formats/rtf.h"
#include "extraction/formats/text.h"
#include "extraction/formats/vsd.h"
#include "extraction/formats/xls.h"
#include "extraction/formats/xlsb.h"
#include "extraction/plain_text.h"

namespace connectors::extraction {
namespace {

using TextOf = std::string (*)(const std::filesystem::path&);

struct Format {
  std::string_view extension;
  std::string_view family;
  TextOf text;
};

// One row per extension of TIKA_SUPPORTED_FILETYPES, in the framework's order.
// clang-format off
constexpr std::array kFormats = {
    Format{".txt", "text", formats::text_file},
    Format{".py", "text", formats::text_file},
    Format{".rst", "text", formats::text_file},
    Format{".html", "html", formats::html_file},
    Format{".markdown", "text", formats::text_file},
    Format{".json", "text", formats::text_file},
    Format{".xml", "xml", formats::xml_file},
    Format{".csv", "text", formats::text_file},
    Format{".md", "text", formats::text_file},
    Format{".ppt", "ppt", formats::ppt_text},
    Format{".rtf", "rtf", formats::rtf_file},
    Format{".docx", "ooxml", formats::docx_file},
    Format{".odt", "odf", formats::odt_file},
    Format{".xls", "xls", formats::xls_text},
    Format{".xlsx", "ooxml", formats::xlsx_file},
    Format{".rb", "text", formats::text_file},
    Format{".paper", "text", formats::text_file},
    Format{".sh", "text", formats::text_file},
    Format{".pptx", "ooxml", formats::pptx_file},
    Format{".pdf", "pdf", formats::pdf_file},
    Format{".doc", "doc", formats::doc_text},
    Format{".aspx", "html", formats::aspx_file},
    Format{".xlsb", "xlsb", formats::xlsb_text},
    Format{".xlsm", "ooxml", formats::xlsx_file},
    Format{".tsv", "text", formats::text_file},
    Format{".svg", "xml", formats::xml_file},
    Format{".msg", "msg", formats::msg_text},
    Format{".potx", "ooxml", formats::pptx_file},
    Format{".vsd", "vsd", formats::vsd_text},
    Format{".vsdx", "ooxml", formats::vsdx_file},
    Format{".vsdm", "ooxml", formats::vsdx_file},
};
// clang-format on

const Format* find_format(std::string_view extension) {
  const std::string lower = file_extension(std::string("x") + std::string(extension));
  for (const auto& format : kFormats) {
    if (format.extension == lower) return &format;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string_view>& supported_extensions() {
  static const std::vector<std::string_view> extensions = [] {
    std::vector<std::string_view> out;
    for (const auto& format : kFormats) out.push_back(format.extension);
    return out;
  }();
  return extensions;
}

bool is_supported_extension(std::string_view extension) {
  return find_format(extension) != nullptr;
}

std::string_view format_of(std::string_view extension) {
  const Format* format = find_format(extension);
  return format == nullptr ? std::string_view() : format->family;
}

std::string extract_file(const std::filesystem::path& path, std::string_view extension) {
  const Format* format = find_format(extension);
  if (format == nullptr) {
    throw std::invalid_argument("unsupported file type '" + std::string(extension) + "'");
  }
  return reduce_whitespace(format->text(path));
}

}  // namespace connectors::extraction
