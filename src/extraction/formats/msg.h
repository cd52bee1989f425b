// Outlook messages (.msg): MAPI properties in an OLE2 file, read with libgsf.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// The subject, "From:", "To:", "Cc:" and "Bcc:" lines of display names, the
// body (plain text, else the HTML body's text) and the attachments' file names.
std::string msg_text(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
