#include "es/trace.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/logging.h"

namespace connectors::es {
namespace {

using json = nlohmann::json;

bool is_blank(const json& value) {
  return value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty());
}

// Masks the value of every {"sensitive": true, "value": ...} object under `node`.
void mask_sensitive(json& node) {
  if (node.is_array()) {
    for (auto& child : node) mask_sensitive(child);
    return;
  }
  if (!node.is_object()) return;
  auto sensitive = node.find("sensitive");
  auto value = node.find("value");
  if (sensitive != node.end() && *sensitive == true && value != node.end() && !is_blank(*value)) {
    if (value->is_string()) logging::register_secret(value->get_ref<const std::string&>());
    *value = "***";
  }
  for (auto& [key, child] : node.items()) mask_sensitive(child);
}

std::string masked_json(json doc) {
  mask_sensitive(doc);
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

// NDJSON (a _bulk body) or other text, masked line by line until `limit` bytes
// are out: the rest would be cut anyway. Sets `complete` when every line was seen.
std::string masked_lines(std::string_view body, size_t limit, bool& complete) {
  std::string out;
  size_t start = 0;
  while (start < body.size() && out.size() <= limit) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    json doc = json::parse(line, nullptr, false);
    if (!out.empty()) out.push_back('\n');
    if (doc.is_structured()) {
      out += masked_json(std::move(doc));
    } else {
      out.append(line);
    }
    start = end + 1;
  }
  complete = start >= body.size();
  return out;
}

// The length of `text` cut to at most `limit` bytes without splitting a UTF-8 sequence.
size_t utf8_cut(const std::string& text, size_t limit) {
  size_t cut = std::min(limit, text.size());
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return cut;
}

}  // namespace

std::string printable_body(std::string_view body, size_t limit) {
  bool complete = true;
  json doc = json::parse(body, nullptr, false);
  std::string shown =
      doc.is_structured() ? masked_json(std::move(doc)) : masked_lines(body, limit, complete);
  // Before cutting, so that a registered secret is never cut into a visible part.
  shown = logging::redact(std::move(shown));
  if (complete && shown.size() <= limit) return shown;
  shown.resize(utf8_cut(shown, limit));
  return shown + fmt::format(" ... (cut, {} bytes)", body.size());
}

std::string format_trace(const TracedRequest& request) {
  double seconds = std::chrono::duration<double>(request.duration).count();
  std::string text = fmt::format("{} {} ", request.method, url_without_credentials(request.url));
  if (request.status == 0) {
    text += fmt::format("[no answer: {} duration:{:.3f}s]", request.failure, seconds);
  } else {
    text += fmt::format("[status:{} duration:{:.3f}s]", request.status, seconds);
  }
  if (!request.request_body.empty()) text += "\n> " + printable_body(request.request_body);
  if (!request.response_body.empty()) text += "\n< " + printable_body(request.response_body);
  return text;
}

void trace_request(const TracedRequest& request) {
  logging::transport_logger()->debug("{}", format_trace(request));
}

}  // namespace connectors::es
