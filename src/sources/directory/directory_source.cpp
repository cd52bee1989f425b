#include "sources/directory/directory_source.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/errors.h"
#include "core/glob.h"
#include "core/hash.h"
#include "core/iso_time.h"
#include "extraction/plain_text.h"

namespace connectors::sources {
namespace {

namespace fs = std::filesystem;

struct DirectorySettings {
  fs::path root;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  bool recursive = true;
  long long max_file_size = 10485760;
};

constexpr size_t kReadChunk = 64 << 10;  // as the framework's chunked downloads

// Streams the file into `sink`, stopping one chunk past max_bytes (enough to
// show it grew over the limit since it was listed).
void read_file(const fs::path& path, ContentSink& sink, long long max_bytes, std::stop_token stop) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SourceError("dir: cannot read " + path.string() + ": " + std::strerror(errno));
  std::string chunk(kReadChunk, '\0');
  long long total = 0;
  while (total <= max_bytes) {
    if (stop.stop_requested()) throw Cancelled();
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    auto n = static_cast<size_t>(in.gcount());
    if (n == 0) break;
    total += static_cast<long long>(n);
    if (!sink.write(std::string_view(chunk.data(), n))) break;
  }
  if (in.bad()) throw SourceError("dir: cannot read " + path.string());
}

class DirectorySource final : public Source {
 public:
  explicit DirectorySource(DirectorySettings settings) : s_(std::move(settings)) {}

  void ping(std::stop_token) override {
    std::error_code ec;
    if (!fs::is_directory(s_.root, ec)) {
      throw SourceError("dir: 'directory' " + s_.root.string() + " is not a readable folder");
    }
  }

  void documents(DocumentSink& sink, std::stop_token stop) override {
    ping(stop);
    // Errors part-way (a folder that vanishes or cannot be read) must fail the
    // sync rather than be skipped: a partial listing would delete documents.
    auto options = fs::directory_options::none;
    std::error_code ec;
    fs::recursive_directory_iterator it(s_.root, options, ec), end;
    if (ec) throw SourceError("dir: cannot list " + s_.root.string() + ": " + ec.message());
    for (; it != end; it.increment(ec)) {
      if (ec) throw SourceError("dir: cannot list under " + s_.root.string() + ": " + ec.message());
      if (stop.stop_requested()) throw Cancelled();
      if (!s_.recursive && it.depth() > 0) {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file(ec)) continue;
      std::string relative = fs::relative(it->path(), s_.root, ec).generic_string();
      if (!selected(relative)) continue;
      sink.emit(make_document(it->path(), relative));
    }
  }

 private:
  bool selected(const std::string& relative) const {
    bool included = s_.include.empty();
    for (const auto& pattern : s_.include) included = included || glob_match(pattern, relative);
    if (!included) return false;
    for (const auto& pattern : s_.exclude) {
      if (glob_match(pattern, relative)) return false;
    }
    return true;
  }

  Document make_document(const fs::path& path, const std::string& relative) const {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      throw SourceError("dir: cannot stat " + path.string());
    }
    std::string absolute = fs::absolute(path).lexically_normal().string();
    std::string extension = extraction::file_extension(relative);
    Document doc;
    doc.id = md5_hex(absolute);  // as the Python framework's dir source
    doc.timestamp = iso_utc(st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    doc.fields = {
        {"title", path.filename().string()},
        {"path", absolute},
        {"relative_path", relative},
        {"extension", extension},
        {"size", static_cast<long long>(st.st_size)},
        {"file_size", static_cast<long long>(st.st_size)},
        {"created_at", iso_utc(st.st_ctim.tv_sec, st.st_ctim.tv_nsec)},
        {"last_modified_time", doc.timestamp},
        {"last_access_time", iso_utc(st.st_atim.tv_sec, st.st_atim.tv_nsec)},
        {"owner_user_id", st.st_uid},
        {"owner_group_id", st.st_gid},
        {"number_of_links", static_cast<long long>(st.st_nlink)},
        {"inode_number", static_cast<unsigned long long>(st.st_ino)},
    };
    // Read by the engine, only if the file is new or changed (lazy content).
    doc.content.name = absolute;
    doc.content.extension = extension;
    doc.content.size = static_cast<long long>(st.st_size);
    doc.content.max_size = s_.max_file_size;
    doc.content.fetch = [path](ContentSink& sink, long long max_bytes, std::stop_token stop) {
      read_file(path, sink, max_bytes, stop);
    };
    doc.content.local_file = path;
    return doc;
  }

  DirectorySettings s_;
};

Schema directory_schema() {
  // No default folder: the framework's ($SYSTEM_DIR or its own sources) is a
  // demo value, and the service's working folder may hold its config.yml.
  Field directory = make_field("directory", "Directory path");
  directory.order = 0;
  Field pattern = make_field("pattern", "File glob-like pattern");
  pattern.value = "**/*.*";
  pattern.order = 1;
  pattern.tooltip = "Comma-separated globs of files to include, relative to the directory.";
  Field exclude = make_field("exclude", "Globs of files to exclude");
  exclude.type = FieldType::kList;
  exclude.required = false;
  exclude.order = 2;
  Field recursive = make_field("recursive", "Include sub-folders");
  recursive.type = FieldType::kBool;
  recursive.display = Display::kToggle;
  recursive.value = true;
  recursive.default_value = true;
  recursive.required = false;
  recursive.order = 3;
  Field max_size = make_field("max_file_size", "Largest file whose text is indexed (bytes)");
  max_size.type = FieldType::kInt;
  max_size.display = Display::kNumeric;
  max_size.value = 10485760;
  max_size.default_value = 10485760;
  max_size.required = false;
  max_size.order = 4;
  max_size.ui_restrictions = {"advanced"};
  return {directory, pattern, exclude, recursive, max_size};
}

}  // namespace

SourceDescriptor directory_descriptor() {
  return {"dir", "Directory", directory_schema,
          [](const Configuration& c) -> std::unique_ptr<Source> {
            DirectorySettings s;
            s.root = c.str("directory");
            s.include = c.list("pattern");
            s.exclude = c.list("exclude");
            s.recursive = c.boolean("recursive");
            s.max_file_size = c.integer("max_file_size");
            for (const auto& p : s.include) {
              if (p.starts_with("/"))
                throw ConfigError("pattern", "globs are relative to 'directory': " + p);
            }
            return std::make_unique<DirectorySource>(std::move(s));
          }};
}

}  // namespace connectors::sources
