// Office Open XML (.docx, .xlsx, .xlsm, .pptx, .potx, .vsdx, .vsdm): the text
// of the parts Tika reads, streamed out of the zip with libzip and libxml2.
#pragma once

#include <filesystem>
#include <string>

#include "extraction/formats/zip_archive.h"

namespace connectors::extraction::formats {

// Headers, body (paragraphs, tables cell by cell, text boxes), footnotes,
// endnotes, comments and footers.
std::string docx_file(const std::filesystem::path& path);

// Per sheet in workbook order: its name, then its rows, cells separated by
// tabs (shared and inline strings, numbers and booleans as Excel shows them
// in the General format).
std::string xlsx_file(const std::filesystem::path& path);

// Slides in presentation order, each followed by its notes and comments.
std::string pptx_file(const std::filesystem::path& path);

// The text of the shapes of every page.
std::string vsdx_file(const std::filesystem::path& path);

// The text a worksheet's drawing holds (text boxes, WordArt, shapes, and the
// titles of its charts), as Tika adds it after the cells; for .xlsx and .xlsb.
void append_sheet_drawings(const ZipArchive& zip, const std::string& sheet_part, std::string& out);

}  // namespace connectors::extraction::formats
