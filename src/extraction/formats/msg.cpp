#include "extraction/formats/msg.h"

#include <cstdint>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

#include "extraction/extract.h"
#include "extraction/formats/markup.h"
#include "extraction/formats/ole.h"
#include "extraction/plain_text.h"

namespace connectors::extraction::formats {
namespace {

// MAPI property tags (PidTag...), as the hex of their stream names.
constexpr std::string_view kSubject = "0037";
constexpr std::string_view kSenderName = "0C1A";
constexpr std::string_view kDisplayTo = "0E04";
constexpr std::string_view kDisplayCc = "0E03";
constexpr std::string_view kDisplayBcc = "0E02";
constexpr std::string_view kBody = "1000";
constexpr std::string_view kBodyHtml = "1013";
constexpr std::string_view kAttachLongFilename = "3707";
constexpr std::string_view kAttachFilename = "3704";
constexpr std::string_view kDisplayName = "3001";
constexpr std::string_view kEmailAddress = "3003";
constexpr std::string_view kSmtpAddress = "39FE";

// PidTagMessageCodepage, PidTagInternetCodepage: the code page of PT_STRING8.
constexpr std::uint16_t kMessageCodepage = 0x3FFD, kInternetCodepage = 0x3FDE;
constexpr std::uint16_t kPtLong = 0x0003;
// The fixed-size property stream: a header (32 bytes in the top-level message,
// 8 in attachments and recipients) then 16-byte entries (type, id, flags, value).
constexpr std::size_t kRootPropertiesHeader = 32, kEmbeddedPropertiesHeader = 24,
                      kPropertyEntry = 16;
// PidTagAttachDataBinary (0102) / PidTagAttachDataObject (000D, a storage).
constexpr std::string_view kAttachData = "3701";
// Messages attached to messages attached to ...: Tika goes as deep; a crafted
// file could go deeper than any real one.
constexpr int kMaxAttachmentDepth = 4;
// Messages being read on this thread: attached messages (as storages, or as
// .msg files that come back here through extract_file) nest.
thread_local int message_depth = 0;

struct DepthGuard {
  DepthGuard() { ++message_depth; }
  ~DepthGuard() { --message_depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
};

constexpr std::string_view kAttachmentPrefix = "__attach_version1.0_#";
constexpr std::string_view kRecipientPrefix = "__recip_version1.0_#";

std::string stream_name(std::string_view tag, std::string_view type) {
  return "__substg1.0_" + std::string(tag) + std::string(type);
}

std::string without_trailing_nuls(std::string text) {
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

// The code page of the message's 8-bit strings, 0 when it does not say.
unsigned message_codepage(const OleStorage& storage, std::size_t header) {
  const auto properties = storage.read("__properties_version1.0", kMaxOleStreamBytes);
  if (!properties) return 0;
  unsigned internet = 0;
  for (std::size_t offset = header; offset + kPropertyEntry <= properties->size();
       offset += kPropertyEntry) {
    if (le16(*properties, offset) != kPtLong) continue;
    const std::uint16_t id = le16(*properties, offset + 2);
    if (id == kMessageCodepage) return le32(*properties, offset + 8);
    if (id == kInternetCodepage) internet = le32(*properties, offset + 8);
  }
  return internet;
}

// A string property: PT_UNICODE (001F, UTF-16LE), else PT_STRING8 (001E, in
// the message's code page; UTF-8 when it does not say and the bytes are valid
// UTF-8, else Windows-1252).
std::string string_property(const OleStorage& storage, std::string_view tag, unsigned codepage) {
  if (auto wide = storage.read(stream_name(tag, "001F"), kMaxOleStreamBytes)) {
    return without_trailing_nuls(utf16le_to_utf8(*wide));
  }
  if (auto narrow = storage.read(stream_name(tag, "001E"), kMaxOleStreamBytes)) {
    std::string bytes = without_trailing_nuls(*narrow);
    if (codepage == 0 && sanitize_utf8(bytes) == bytes) return bytes;
    return codepage_to_utf8(bytes, codepage);
  }
  return "";
}

// The text of the HTML body (PT_UNICODE, or PT_BINARY in the message's code
// page), for messages without a plain-text body.
std::string html_body(const OleStorage& storage, unsigned codepage) {
  if (auto html = storage.read(stream_name(kBodyHtml, "001F"), kMaxOleStreamBytes)) {
    return html_text(utf16le_to_utf8(*html));
  }
  if (auto html = storage.read(stream_name(kBodyHtml, "0102"), kMaxOleStreamBytes)) {
    return html_text(codepage == 0 ? sanitize_utf8(*html) : codepage_to_utf8(*html, codepage));
  }
  return "";
}

// The recipients' e-mail addresses (SMTP; an Exchange DN is no address), as
// Tika's "Recipients" line gives them.
std::string recipient_addresses(const OleStorage& storage, const std::vector<std::string>& children,
                                unsigned codepage) {
  std::string addresses;
  for (const auto& name : children) {
    if (!name.starts_with(kRecipientPrefix)) continue;
    const std::optional<OleStorage> recipient = storage.storage(name);
    if (!recipient) continue;
    std::string address = string_property(*recipient, kSmtpAddress, codepage);
    if (address.empty()) address = string_property(*recipient, kEmailAddress, codepage);
    if (address.find('@') == std::string::npos) continue;
    if (!addresses.empty()) addresses += "; ";
    addresses += address;
  }
  return addresses;
}

void append_line(std::string& text, std::string_view label, const std::string& value) {
  if (value.empty()) return;
  text.append(label).append(value).append("\n");
}

// The text of an attachment's bytes, typed by its file name's extension,
// through extract_file (a temporary file: the parsers read paths). "" when the
// type is not one of the framework's or the attachment cannot be read: the
// message's own text is still worth indexing.
std::string attachment_content(const std::string& bytes, const std::string& file_name) {
  const std::string extension = file_extension(file_name);
  if (!is_supported_extension(extension)) return "";
  try {
    const TemporaryFile file("connectors-attachment-", extension);
    std::ofstream out(file.path(), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    return out ? extract_file(file.path(), extension) : "";
  } catch (const ExtractionError&) {
    return "";
  }
}

// The text of the message in `storage`: the root of a .msg file, or an
// attached message. `header` is the size of its property stream's header.
std::string message_text(const OleStorage& storage, std::size_t header) {
  const DepthGuard guard;
  const auto children = storage.children();
  bool is_message = false;
  for (const auto& name : children) {
    is_message =
        is_message || name.starts_with("__substg1.0_") || name == "__properties_version1.0";
  }
  if (!is_message) throw ExtractionError("not an Outlook message (no MAPI properties)");

  const unsigned codepage = message_codepage(storage, header);
  std::string text;
  append_line(text, "", string_property(storage, kSubject, codepage));
  append_line(text, "From: ", string_property(storage, kSenderName, codepage));
  append_line(text, "To: ", string_property(storage, kDisplayTo, codepage));
  append_line(text, "Cc: ", string_property(storage, kDisplayCc, codepage));
  append_line(text, "Bcc: ", string_property(storage, kDisplayBcc, codepage));
  append_line(text, "Recipients: ", recipient_addresses(storage, children, codepage));
  std::string body = string_property(storage, kBody, codepage);
  if (body.empty()) body = html_body(storage, codepage);
  append_line(text, "", body);
  for (const auto& name : children) {
    if (!name.starts_with(kAttachmentPrefix)) continue;
    const std::optional<OleStorage> attachment = storage.storage(name);
    if (!attachment) continue;
    std::string file_name = string_property(*attachment, kAttachLongFilename, codepage);
    if (file_name.empty()) file_name = string_property(*attachment, kAttachFilename, codepage);
    if (file_name.empty()) file_name = string_property(*attachment, kDisplayName, codepage);
    append_line(text, "", file_name);
    if (message_depth >= kMaxAttachmentDepth) continue;
    // Like Tika, the attachments' text too: an attached message, or a file.
    if (const auto embedded = attachment->storage(stream_name(kAttachData, "000D"))) {
      try {
        append_line(text, "", message_text(*embedded, kEmbeddedPropertiesHeader));
      } catch (const ExtractionError&) {
      }
    } else if (const auto data =
                   attachment->read(stream_name(kAttachData, "0102"), kMaxOleStreamBytes)) {
      append_line(text, "", attachment_content(*data, file_name));
    }
  }
  return text;
}

}  // namespace

std::string msg_text(const std::filesystem::path& path) {
  return message_text(OleStorage::open(path), kRootPropertiesHeader);
}

}  // namespace connectors::extraction::formats
