// Outlook messages (.msg): MAPI properties in an OLE2 file, read with libgsf.
#pragma once

#include <filesystem>
#include <string>

namespace connectors::extraction::formats {

// The subject, "From:", "To:", "Cc:" and "Bcc:" lines of display names, a
// "Recipients:" line of their e-mail addresses, the
// body (plain text, else the HTML body's text), then each attachment's file
// name and, as Tika gives it, its text: an attached message's, or a file's of
// one of the framework's types through extract_file (nesting capped).
std::string msg_text(const std::filesystem::path& path);

}  // namespace connectors::extraction::formats
