#include "extraction/formats/ppt.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "extraction/extract.h"
#include "extraction/formats/ole.h"

namespace connectors::extraction::formats {
namespace {

// Record types of [MS-PPT] 2.13.24 read here.
constexpr std::uint16_t kTextCharsAtom = 0x0FA0, kTextBytesAtom = 0x0FA8, kCString = 0x0FBA,
                        kTextHeaderAtom = 0x0F9F, kCryptSession10Container = 0x2F14,
                        kMainMaster = 0x03F8, kNotes = 0x03F0, kNotesAtom = 0x03F1,
                        kUserEditAtom = 0x0FF5, kPersistDirectoryAtom = 0x1772, kHandout = 0x0FC9,
                        kDocument = 0x03E8, kSlide = 0x03EE, kSlideAtom = 0x03EF,
                        kSlideListWithText = 0x0FF0, kMasterPersistAtom = 0x03F3;
// SlideListWithText's instance that lists the masters.
constexpr std::uint16_t kMasterList = 1;
// Containers without text for a reader: tags, embedded objects' names,
// hyperlinks' targets (the linked text is in the slide).
constexpr std::uint16_t kSkipped[] = {0x1388 /* ProgTags */, 0x0FCC /* ExEmbed */,
                                      0x0FCE /* ExOleLink */, 0x0FEE /* ExControl */,
                                      0x0FD7 /* ExHyperlink */};
constexpr std::uint32_t kFirstMasterId = 0x80000000;
// TextHeaderAtom's textType of text that is not a placeholder's.
constexpr std::uint32_t kOtherText = 4;
// recVer of a container (its body is more records).
constexpr std::uint16_t kContainerVersion = 0xF;
constexpr std::size_t kHeaderSize = 8;
// Real presentations nest a dozen levels, save a few dozen times.
constexpr int kMaxDepth = 32;
constexpr int kMaxEdits = 4096;

struct Record {
  std::uint16_t version;
  std::uint16_t type;
  std::string_view body;
  std::uint16_t instance;
};

// The record at `offset` of `bytes`, its length checked.
Record record_at(std::string_view bytes, std::size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < kHeaderSize) {
    throw ExtractionError("PowerPoint record at " + std::to_string(offset) + " outside its stream");
  }
  const std::uint32_t length = le32(bytes, offset + 4);
  if (length > bytes.size() - offset - kHeaderSize) {
    throw ExtractionError("PowerPoint record at " + std::to_string(offset) +
                          " longer than its stream");
  }
  return {static_cast<std::uint16_t>(le16(bytes, offset) & 0x0F), le16(bytes, offset + 2),
          bytes.substr(offset + kHeaderSize, length),
          static_cast<std::uint16_t>(le16(bytes, offset) >> 4)};
}

// Paragraph (0x0D) and line (0x0B) breaks of a text atom as newlines.
std::string with_newlines(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\v') c = '\n';
  }
  return text;
}

// A notes master: a Notes container whose NotesAtom refers to no slide (0, or
// a master's id: 0x80000000 and up; slides' ids are from 0x100).
bool is_notes_master(std::string_view notes) {
  for (std::size_t offset = 0; offset + kHeaderSize <= notes.size();) {
    const Record child = record_at(notes, offset);
    if (child.type == kNotesAtom) {
      return child.body.size() >= 4 &&
             (le32(child.body, 0) == 0 || le32(child.body, 0) >= kFirstMasterId);
    }
    offset += kHeaderSize + child.body.size();
  }
  return false;
}

// "*", the text of date, footer and slide-number placeholders.
bool is_field_placeholder(std::string_view body) {
  return body == "*" || body == std::string_view("*\0", 2);
}

// Appends the text of the records of one level of the tree and, through
// containers, of the levels under it. In masters only the text that is not
// a placeholder's ("Click to edit Master title style") is kept, as Tika does.
void walk(std::string_view records, int depth, bool in_master, std::string& text) {
  if (depth > kMaxDepth) throw ExtractionError("PowerPoint records nested too deep");
  std::uint32_t text_type = kOtherText;
  for (std::size_t offset = 0; offset + kHeaderSize <= records.size();) {
    const Record record = record_at(records, offset);
    offset += kHeaderSize + record.body.size();
    if (record.type == kCryptSession10Container) throw ExtractionError("encrypted presentation");
    if (record.version == kContainerVersion) {
      if (std::find(std::begin(kSkipped), std::end(kSkipped), record.type) != std::end(kSkipped)) {
        continue;
      }
      // The handout and the notes master hold only the layout of printed
      // pages (placeholders, header and footer defaults): Tika reads neither.
      if (record.type == kHandout || (record.type == kNotes && is_notes_master(record.body))) {
        continue;
      }
      const bool master = in_master || record.type == kMainMaster;
      walk(record.body, depth + 1, master, text);
    } else if (record.type == kTextHeaderAtom && record.body.size() >= 4) {
      text_type = le32(record.body, 0);
    } else if (is_field_placeholder(record.body) ||
               (in_master && (record.type == kCString || text_type != kOtherText))) {
      continue;
    } else if (record.type == kTextCharsAtom || record.type == kCString) {
      text.append(with_newlines(utf16le_to_utf8(record.body))).append("\n");
    } else if (record.type == kTextBytesAtom) {
      text.append(with_newlines(latin1_to_utf8(record.body))).append("\n");
    }
  }
}

// Offsets of the live objects (persist id -> offset), newest edit winning:
// the chain of UserEditAtoms from the Current User stream's, each with its
// PersistDirectoryAtom. nullopt when the chain is broken: then the caller
// reads the whole stream, old edits included.
std::optional<std::map<std::uint32_t, std::uint32_t>> live_objects(const OleStorage& root,
                                                                   std::string_view stream) {
  const auto user = root.read("Current User", kMaxOleStreamBytes);
  if (!user || user->size() < 20) return std::nullopt;
  std::uint32_t edit = le32(*user, 16);  // CurrentUserAtom.offsetToCurrentEdit
  std::map<std::uint32_t, std::uint32_t> objects;
  std::set<std::uint32_t> seen;
  try {
    for (int count = 0; count < kMaxEdits && seen.insert(edit).second; ++count) {
      const Record user_edit = record_at(stream, edit);
      if (user_edit.type != kUserEditAtom || user_edit.body.size() < 16) return std::nullopt;
      const Record directory = record_at(stream, le32(user_edit.body, 12));
      if (directory.type != kPersistDirectoryAtom) return std::nullopt;
      for (std::size_t offset = 0; offset + 4 <= directory.body.size();) {
        const std::uint32_t entry = le32(directory.body, offset);
        const std::uint32_t first = entry & 0xFFFFF, count_in_entry = entry >> 20;
        offset += 4;
        if (count_in_entry > (directory.body.size() - offset) / 4) return std::nullopt;
        for (std::uint32_t i = 0; i < count_in_entry; ++i, offset += 4) {
          objects.emplace(first + i, le32(directory.body, offset));  // newer kept
        }
      }
      edit = le32(user_edit.body, 8);  // offsetLastEdit
      if (edit == 0) return objects;
    }
  } catch (const ExtractionError&) {
  }
  return std::nullopt;
}

// Calls `each` with every record of one level of a container's body.
template <typename Each>
void for_each_child(std::string_view body, Each each) {
  for (std::size_t offset = 0; offset + kHeaderSize <= body.size();) {
    const Record child = record_at(body, offset);
    offset += kHeaderSize + child.body.size();
    each(child);
  }
}

// The offsets of the main masters some slide uses (SlideAtom.masterIdRef,
// through the Document's master list to a persist id); empty when that cannot
// be told. Tika reads the master of each slide, not the others.
std::set<std::uint32_t> used_masters(std::string_view stream,
                                     const std::map<std::uint32_t, std::uint32_t>& objects) {
  std::map<std::uint32_t, std::uint32_t> persist_of_master;  // masterId -> persist id
  std::set<std::uint32_t> referenced;                        // masterIdRef of the slides
  for (const auto& [id, offset] : objects) {
    const Record object = record_at(stream, offset);
    if (object.type == kDocument) {
      for_each_child(object.body, [&](const Record& list) {
        if (list.type != kSlideListWithText || list.instance != kMasterList) return;
        for_each_child(list.body, [&](const Record& atom) {
          if (atom.type == kMasterPersistAtom && atom.body.size() >= 16) {
            persist_of_master[le32(atom.body, 12)] = le32(atom.body, 0);
          }
        });
      });
    } else if (object.type == kSlide) {
      for_each_child(object.body, [&](const Record& atom) {
        if (atom.type == kSlideAtom && atom.body.size() >= 16) {
          referenced.insert(le32(atom.body, 12));
        }
      });
    }
  }
  std::set<std::uint32_t> used;
  for (const std::uint32_t master : referenced) {
    const auto persist = persist_of_master.find(master);
    if (persist == persist_of_master.end()) continue;
    const auto offset = objects.find(persist->second);
    if (offset != objects.end()) used.insert(offset->second);
  }
  return used;
}

}  // namespace

std::string ppt_text(const std::filesystem::path& path) {
  const OleStorage root = OleStorage::open(path);
  if (root.read("EncryptedSummary", kMaxOleStreamBytes)) {
    throw ExtractionError("encrypted presentation");
  }
  const auto stream = root.read("PowerPoint Document", kMaxOleStreamBytes);
  if (!stream) throw ExtractionError("no PowerPoint Document stream (not a PowerPoint file)");
  std::string text;
  const auto objects = live_objects(root, *stream);
  if (!objects) {
    walk(*stream, 0, false, text);
    return text;
  }
  const std::set<std::uint32_t> masters = used_masters(*stream, *objects);
  std::set<std::uint32_t> walked;  // ids sharing an offset: one walk (no quadratic blow-up)
  for (const auto& [id, offset] : *objects) {
    if (!walked.insert(offset).second) continue;
    const Record object = record_at(*stream, offset);
    if (object.type == kMainMaster && !masters.empty() && !masters.count(offset)) continue;
    // One object as a one-record level: the walk sees its type.
    walk(std::string_view(*stream).substr(offset, kHeaderSize + object.body.size()), 0, false,
         text);
  }
  return text;
}

}  // namespace connectors::extraction::formats
