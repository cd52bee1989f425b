// The Network drive source's documents as the framework spells them: UNC-style
// paths with smbprotocol's mixed separators, the FileId as _id, change time as
// _timestamp in UTC "+00:00", folders as documents.
#include "sources/network_drive/smb_paths.h"

#include <gtest/gtest.h>

namespace connectors::sources::smb {
namespace {

TEST(NetworkDrivePaths, RootAndChildrenAsSmbprotocolSpellsThem) {
  SmbPlace root = root_place("127.0.0.1", "Folder1");
  EXPECT_EQ(root.unc, "\\\\127.0.0.1/Folder1");
  EXPECT_EQ(root.path, "Folder1");
  SmbPlace sub = child_place(root, "sub");
  EXPECT_EQ(sub.unc, "\\\\127.0.0.1/Folder1\\sub");
  EXPECT_EQ(sub.path, "Folder1/sub");
  SmbPlace file = child_place(sub, "a b.txt");
  EXPECT_EQ(file.unc, "\\\\127.0.0.1/Folder1\\sub\\a b.txt");
  EXPECT_EQ(file.path, "Folder1/sub/a b.txt");
}

TEST(NetworkDrivePaths, ADrivePathWithFoldersAndATrailingSeparator) {
  SmbPlace root = root_place("10.0.0.5", "Users/perftest");
  EXPECT_EQ(child_place(root, "x").unc, "\\\\10.0.0.5/Users/perftest\\x");
  EXPECT_EQ(child_place(root, "x").path, "Users/perftest/x");
  // A rule's base ends with '/': ntpath.join adds no separator after it.
  SmbPlace base{"\\\\10.0.0.5/Folder1/", "Folder1"};
  EXPECT_EQ(child_place(base, "a.txt").unc, "\\\\10.0.0.5/Folder1/a.txt");
  EXPECT_EQ(child_place(base, "a.txt").path, "Folder1/a.txt");
  EXPECT_EQ(root_place("h", "A\\B\\").path, "A/B");
}

TEST(NetworkDrivePaths, DocumentsOfAFileAndAFolder) {
  SmbEntry file;
  file.name = "report.pdf";
  file.file_id = 18446744073709551615ULL;  // a FileId needs all 64 bits
  file.size = 1234;
  file.created = {1700000000, 123456789};
  file.changed = {1700000100, 500};
  SmbPlace place = child_place(root_place("127.0.0.1", "Folder1"), "report.pdf");
  Document doc = entry_document(place, file);
  EXPECT_EQ(doc.id, "18446744073709551615");
  EXPECT_EQ(doc.timestamp, "2023-11-14T22:15:00+00:00");
  EXPECT_EQ(doc.fields["path"], "\\\\127.0.0.1/Folder1\\report.pdf");
  EXPECT_EQ(doc.fields["size"], 1234);
  EXPECT_EQ(doc.fields["created_at"], "2023-11-14T22:13:20.123456+00:00");
  EXPECT_EQ(doc.fields["type"], "file");
  EXPECT_EQ(doc.fields["title"], "report.pdf");
  EXPECT_EQ(doc.fields.size(), 5U);

  SmbEntry folder;
  folder.name = "sub";
  folder.directory = true;
  folder.file_id = 42;
  EXPECT_EQ(entry_document(place, folder).fields["type"], "folder");
  EXPECT_EQ(entry_document(place, folder).id, "42");
}

}  // namespace
}  // namespace connectors::sources::smb
