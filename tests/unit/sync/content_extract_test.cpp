#include "sync/content_extract.h"

#include <gtest/gtest.h>

#include <fstream>

#include "../http/loopback_server.h"
#include "http/client.h"
#include "sync/content_fetch.h"

namespace connectors::sync {
namespace {

using nlohmann::json;
using sources::ContentSink;
using sources::Document;
using testing::LoopbackServer;
using testing::ReceivedRequest;

class Warnings final : public sources::DocumentSink {
 public:
  void emit(Document) override {}
  void warn(std::string message) override { messages.push_back(std::move(message)); }
  std::vector<std::string> messages;
};

Document file_doc(const std::string& name, std::string bytes) {
  Document doc;
  doc.id = name + "-id";
  doc.content.name = "/data/" + name;
  doc.content.extension = std::filesystem::path(name).extension().string();
  doc.content.size = static_cast<long long>(bytes.size());
  doc.content.fetch = [bytes](ContentSink& sink, long long, std::stop_token) { sink.write(bytes); };
  return doc;
}

std::string decode_base64(const std::string& text) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  unsigned value = 0;
  for (char c : text) {
    if (c == '=') break;
    value = (value << 6) | static_cast<unsigned>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xff));
    }
  }
  return out;
}

TEST(ContentMode, AsTheFrameworkDecidesIt) {
  config::ExtractionServiceConfig none, service;
  service.host = "http://localhost:8090";
  EXPECT_EQ(content_mode_of(json::object(), none), ContentMode::kLocal);  // no such field: ours
  json off = {{"use_text_extraction_service", {{"value", false}}}};
  json on = {{"use_text_extraction_service", {{"value", true}}}};
  EXPECT_EQ(content_mode_of(off, service), ContentMode::kAttachment);
  EXPECT_EQ(content_mode_of(on, none), ContentMode::kLocal);
  EXPECT_EQ(content_mode_of(on, service), ContentMode::kService);
  EXPECT_EQ(content_mode_of({{"use_text_extraction_service", true}}, service),
            ContentMode::kService);
  EXPECT_EQ(content_mode_of({{"use_text_extraction_service", {{"value", nullptr}}}}, service),
            ContentMode::kLocal);
}

TEST(ContentGate, TheFrameworksExtensionsInAnyCase) {
  sources::ContentRef ref;
  for (const char* ext : {".pdf", ".PDF", ".Docx", ".txt", ".vsdm"}) {
    ref.extension = ext;
    EXPECT_TRUE(wants_content(ref)) << ext;
  }
  for (const char* ext : {"", ".exe", ".png", ".zip"}) {
    ref.extension = ext;
    EXPECT_FALSE(wants_content(ref)) << ext;
  }
}

TEST(AttachmentMode, ExactlyTheBytesAsBase64) {
  ContentOptions options;
  options.mode = ContentMode::kAttachment;
  std::string bytes;
  for (int i = 0; i < 3 * (1 << 20) + 7; ++i) bytes.push_back(static_cast<char>(i * 31 % 256));
  for (size_t size : {size_t{0}, size_t{1}, size_t{2}, size_t{1000}, bytes.size()}) {
    std::string content = bytes.substr(0, size);
    Document doc = file_doc("f.pdf", content);
    SyncCounters counters;
    Warnings warnings;
    fetch_content(doc, 10 << 20, options, counters, warnings, {});  // spilled to a file past 1 MiB
    ASSERT_TRUE(doc.fields.contains("_attachment")) << size;
    EXPECT_FALSE(doc.fields.contains("body"));
    EXPECT_EQ(decode_base64(doc.fields["_attachment"].get<std::string>()), content) << size;
    EXPECT_EQ(doc.fields["_attachment"].get<std::string>().size(), (size + 2) / 3 * 4);
  }
}

TEST(LocalMode, AFileWithoutTextIsWarnedCountedAndKeepsItsMetadata) {
  extraction::isolation::PoolOptions pool;
  pool.program = TEST_EXTRACTOR;
  ContentOptions options;
  options.pool = std::make_shared<extraction::isolation::ExtractorPool>(pool);
  SyncCounters counters;
  Warnings warnings;
  Document bad = file_doc("bad.docx", "CRASH");
  bad.fields["title"] = "bad.docx";
  fetch_content(bad, 100, options, counters, warnings, {});
  EXPECT_FALSE(bad.fields.contains("body"));
  EXPECT_EQ(bad.fields["title"], "bad.docx");
  EXPECT_EQ(counters.extraction_failures, 1);
  ASSERT_EQ(warnings.messages.size(), 1u);
  EXPECT_EQ(warnings.messages[0],
            "/data/bad.docx (id bad.docx-id): no text extracted, indexed with its metadata only: "
            "extractor crashed (signal 6)");
  Document good = file_doc("good.md", "# Title\n\n text");
  fetch_content(good, 100, options, counters, warnings, {});
  EXPECT_EQ(good.fields["body"], "# Title text");
  EXPECT_EQ(counters.extraction_failures, 1);
}

// A file of this machine (the dir source) goes to the workers where it is:
// `fetch` (the copy) is not called in local mode, and is in the other modes.
TEST(LocalMode, ALocalFileIsExtractedInPlaceWithoutACopy) {
  const auto dir = std::filesystem::temp_directory_path() / "connectors-local-file-test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "notes.md";
  std::ofstream(path) << "# Notes\n\nread where it is";
  extraction::isolation::PoolOptions pool;
  pool.program = TEST_EXTRACTOR;
  ContentOptions options;
  options.pool = std::make_shared<extraction::isolation::ExtractorPool>(pool);
  SyncCounters counters;
  Warnings warnings;
  int fetches = 0;
  Document doc = file_doc("notes.md", "a copy");
  doc.content.local_file = path;
  doc.content.fetch = [&fetches](ContentSink& sink, long long, std::stop_token) {
    ++fetches;
    sink.write("a copy");
  };
  fetch_content(doc, 100, options, counters, warnings, {});
  EXPECT_EQ(doc.fields["body"], "# Notes read where it is");
  EXPECT_EQ(fetches, 0);
  EXPECT_EQ(counters.content_fetches, 1);
  EXPECT_EQ(counters.content_bytes_read, static_cast<long long>(std::filesystem::file_size(path)));

  Document big = doc;  // over the limit: no content, like a fetch past it
  big.fields.erase("body");
  fetch_content(big, 5, options, counters, warnings, {});
  EXPECT_FALSE(big.fields.contains("body"));

  Document missing = doc;
  missing.fields.erase("body");
  missing.content.local_file = dir / "gone.md";
  fetch_content(missing, 100, options, counters, warnings, {});
  EXPECT_FALSE(missing.fields.contains("body"));
  ASSERT_EQ(warnings.messages.size(), 1u);
  EXPECT_NE(warnings.messages[0].find("/data/notes.md: content not read"), std::string::npos)
      << warnings.messages[0];

  options.mode = ContentMode::kAttachment;
  Document attached = doc;
  attached.fields.erase("body");
  fetch_content(attached, 100, options, counters, warnings, {});
  EXPECT_EQ(fetches, 1);
  EXPECT_EQ(decode_base64(attached.fields["_attachment"].get<std::string>()), "a copy");
  std::filesystem::remove_all(dir);
}

class ServiceMode : public ::testing::Test {
 protected:
  ContentOptions options(const std::string& url, bool file_pointers = false) {
    config::Config config;
    config.extraction_service.host = url;
    config.extraction_service.timeout_s = 1;
    config.extraction_service.use_file_pointers = file_pointers;
    config.extraction_service.shared_volume_dir = std::filesystem::temp_directory_path().string();
    return content_options(config, {{"use_text_extraction_service", {{"value", true}}}});
  }
  SyncCounters counters;
  Warnings warnings;
};

TEST_F(ServiceMode, TheFileIsPutAndTheExtractedTextIsTheBody) {
  LoopbackServer server([](const ReceivedRequest&) {
    return testing::Reply(200, {{"Content-Type", "application/json"}},
                          R"({"extracted_text": "text of the PDF"})");
  });
  auto opts = options(server.url());
  ASSERT_EQ(opts.mode, ContentMode::kService);
  Document doc = file_doc("a.pdf", std::string("%PDF-1.4\0binary", 15));
  fetch_content(doc, 100, opts, counters, warnings, {});
  EXPECT_EQ(doc.fields["body"], "text of the PDF");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/extract_text/");
  EXPECT_EQ(requests[0].headers["content-type"], "application/octet-stream");
  EXPECT_EQ(requests[0].headers["accept"], "application/json");
  EXPECT_EQ(requests[0].body, std::string("%PDF-1.4\0binary", 15));
  EXPECT_TRUE(warnings.messages.empty());
}

TEST_F(ServiceMode, WithFilePointersTheServiceGetsAPathInTheSharedVolume) {
  std::string seen;
  LoopbackServer server([&](const ReceivedRequest& request) {
    std::string path = request.target.substr(request.target.find('=') + 1);
    for (size_t at; (at = path.find("%2F")) != std::string::npos;) path.replace(at, 3, "/");
    std::ifstream in(path);
    std::getline(in, seen);
    return testing::Reply(200, {}, R"({"extracted_text": "via the volume"})");
  });
  Document doc = file_doc("b.docx", "docx bytes");
  fetch_content(doc, 100, options(server.url(), true), counters, warnings, {});
  EXPECT_EQ(doc.fields["body"], "via the volume");
  EXPECT_EQ(seen, "docx bytes");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(requests[0].target.starts_with("/extract_text/?local_file_path="))
      << requests[0].target;
  EXPECT_TRUE(requests[0].body.empty());
}

TEST_F(ServiceMode, TheServicesErrorIsAWarningAndTheMetadataStays) {
  LoopbackServer server([](const ReceivedRequest&) {
    return testing::Reply(422, {}, R"({"error": "unprocessable", "message": "bad file"})");
  });
  Document doc = file_doc("c.pdf", "x");
  fetch_content(doc, 100, options(server.url()), counters, warnings, {});
  EXPECT_FALSE(doc.fields.contains("body"));
  ASSERT_EQ(warnings.messages.size(), 1u);
  EXPECT_NE(warnings.messages[0].find("Extraction service could not parse `/data/c.pdf'. Status: "
                                      "[422]; unprocessable: bad file"),
            std::string::npos)
      << warnings.messages[0];
  EXPECT_EQ(counters.extraction_failures, 1);
}

TEST_F(ServiceMode, ATimeoutIsAWarning) {
  LoopbackServer server(
      [](const ReceivedRequest&) { return testing::Reply::delayed(std::chrono::seconds(3)); });
  Document doc = file_doc("d.pdf", "x");
  auto start = std::chrono::steady_clock::now();
  fetch_content(doc, 100, options(server.url()), counters, warnings, {});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2900));
  EXPECT_FALSE(doc.fields.contains("body"));
  ASSERT_EQ(warnings.messages.size(), 1u);
  EXPECT_NE(warnings.messages[0].find("Text extraction request to " + server.url() +
                                      " timed out for /data/d.pdf"),
            std::string::npos)
      << warnings.messages[0];
}

}  // namespace
}  // namespace connectors::sync
