#include "es/client.h"

#include <spdlog/spdlog.h>

#include "core/logging.h"
#include "es/trace.h"
#include "http/curl_easy.h"
#include "http/url.h"

namespace connectors::es {
namespace {

std::string refresh_param(Refresh refresh) {
  switch (refresh) {
    case Refresh::kNo: return "";
    case Refresh::kYes: return "refresh=true";
    case Refresh::kWaitFor: return "refresh=wait_for";
  }
  return "";
}

// Joins query parameters, skipping empty ones.
std::string query(std::initializer_list<std::string> params) {
  std::string out;
  for (const auto& p : params) {
    if (p.empty()) continue;
    out += out.empty() ? "?" : "&";
    out += p;
  }
  return out;
}

std::string seq_params(const std::optional<SeqNo>& seq) {
  if (!seq) return "";
  return "if_seq_no=" + std::to_string(seq->seq_no) +
         "&if_primary_term=" + std::to_string(seq->primary_term);
}

WriteResult write_result(const HttpResponse& response) {
  json doc = json::parse(response.body, nullptr, false);
  WriteResult out;
  if (doc.is_object()) {
    out.id = doc.value("_id", "");
    out.result = doc.value("result", "");
    out.seq = {doc.value("_seq_no", 0LL), doc.value("_primary_term", 0LL)};
  }
  return out;
}

std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response) {
  return http::parse_retry_after(response.header("retry-after"));
}

bool is_transient(const TransportFailure& failure, bool retry_on_timeout) {
  if (failure.cancelled || http::is_permanent_failure(failure.curl_code)) return false;
  if (failure.timed_out) return retry_on_timeout;
  return true;  // refused, reset, empty reply, DNS of a loopback name...
}

}  // namespace

json parse_answer(const HttpResponse& response, const std::string& what) {
  json doc = json::parse(response.body, nullptr, false);
  if (doc.is_object()) return doc;
  std::string excerpt = response.body.substr(0, 200);
  for (char& c : excerpt) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  throw EsError(response.status, "invalid_response",
                "the answer is not a JSON object: " + (excerpt.empty() ? std::string("(empty)") : excerpt), what);
}

ClientOptions client_options_from(const config::ElasticsearchConfig& es) {
  ClientOptions options;
  options.transport.host = es.host;
  options.transport.api_key = es.api_key;
  options.transport.username = es.username;
  options.transport.password = es.password;
  // As in the framework, `ssl: false` only switches off the TLS options.
  options.transport.verify_certs = es.ssl ? es.verify_certs : true;
  options.transport.ca_certs = es.ssl ? es.ca_certs : "";
  options.transport.headers = es.headers;
  options.transport.timeout = std::chrono::seconds(es.request_timeout_s);
  options.max_retries = es.max_retries;
  options.retry_base = std::chrono::milliseconds(static_cast<long long>(es.retry_interval_s * 1000));
  options.retry_cap = options.retry_base * 10;
  options.retry_on_timeout = es.retry_on_timeout;
  options.trace = logging::parse_level(es.log_level) == spdlog::level::debug;
  return options;
}

std::string encode_path(std::string_view segment) { return http::percent_encode(segment); }

EsError error_from_response(const HttpResponse& response, const std::string& context) {
  json doc = json::parse(response.body, nullptr, false);
  std::string type = "http_error";
  std::string reason;
  if (doc.is_object() && doc.contains("error")) {
    const auto& error = doc["error"];
    if (error.is_object()) {
      type = error.value("type", type);
      reason = error.value("reason", "");
    } else if (error.is_string()) {
      reason = error.get<std::string>();
    }
  } else if (doc.is_object() && doc.value("found", true) == false) {
    type = "not_found";
  } else {
    reason = response.body.substr(0, 300);
  }
  return EsError(response.status, type, logging::redact(reason), context);
}

Client::Client(ClientOptions options)
    : options_(std::move(options)), transport_(options_.transport) {}

HttpResponse Client::request(std::string_view method, const std::string& path,
                             std::string_view body, std::string_view content_type,
                             std::initializer_list<int> accepted, std::stop_token stop) {
  RetryPolicy policy(options_.max_retries, options_.retry_base, options_.retry_cap);
  const std::string context = std::string(method) + " " + path.substr(0, path.find('?'));
  for (int attempt = 0;; ++attempt) {
    std::optional<HttpResponse> response;
    std::optional<TransportFailure> failure;
    auto started = std::chrono::steady_clock::now();
    try {
      response = transport_.perform(method, path, body, content_type, stop);
    } catch (const TransportFailure& f) {
      failure = f;
    }
    if (options_.trace) {
      trace_request({method, transport_.options().host + path, body,
                     response ? response->status : 0, failure ? failure->message : "",
                     response ? std::string_view(response->body) : std::string_view(),
                     std::chrono::steady_clock::now() - started});
    }
    if (failure && failure->cancelled) throw Cancelled();
    bool retryable = failure ? is_transient(*failure, options_.retry_on_timeout)
                             : is_retryable_status(response->status);
    bool accepted_status = response && std::find(accepted.begin(), accepted.end(),
                                                 response->status) != accepted.end();
    if (response && (accepted_status || (response->status >= 200 && response->status < 300))) {
      return std::move(*response);
    }
    if (!retryable || attempt >= policy.max_retries()) {
      if (failure) {
        throw EsError(0, failure->timed_out ? "timeout" : "connection_error",
                      logging::redact(failure->message) +
                          (attempt ? " (after " + std::to_string(attempt + 1) + " attempts)" : ""),
                      context);
      }
      throw error_from_response(*response, context);
    }
    auto wait = policy.delay(attempt + 1, response ? retry_after(*response) : std::nullopt);
    spdlog::warn("{} failed ({}), retry {}/{} in {} ms", context,
                 failure ? failure->message : "HTTP " + std::to_string(response->status),
                 attempt + 1, policy.max_retries(), wait.count());
    if (!sleep_for(wait, stop)) throw Cancelled();
  }
}

EngineInfo Client::info(std::stop_token stop) {
  auto response = request("GET", "/", {}, "application/json", {}, stop);
  json doc = json::parse(response.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("version")) {
    throw EsError(response.status, "bad_root_response", "GET / did not return a version", "GET /");
  }
  EngineInfo info;
  const auto& version = doc["version"];
  info.version = version.value("number", "");
  info.flavour = version.value("distribution", "") == "opensearch" ? Flavour::kOpenSearch
                                                                    : Flavour::kElasticsearch;
  info.major = std::atoi(info.version.c_str());
  info.cluster_name = doc.value("cluster_name", "");
  return info;
}

bool Client::index_exists(const std::string& index) {
  return request("HEAD", "/" + encode_path(index), {}, "application/json", {404}).status == 200;
}

void Client::create_index(const std::string& index, const json& body) {
  request("PUT", "/" + encode_path(index), body.dump());
}

void Client::delete_index(const std::string& index) {
  request("DELETE", "/" + encode_path(index));
}

json Client::get_mapping(const std::string& index) {
  std::string what = "GET " + index + "/_mapping";
  json doc = parse_answer(request("GET", "/" + encode_path(index) + "/_mapping"), what);
  // Named by its concrete index when `index` is an alias.
  const json* entry = doc.contains(index) ? &doc[index] : doc.size() == 1 ? &doc.begin().value() : nullptr;
  if (entry == nullptr || !entry->is_object()) {
    throw EsError(200, "invalid_response", "the answer holds no single index's mapping", what);
  }
  return entry->value("mappings", json::object());
}

void Client::put_mapping(const std::string& index, const json& mapping) {
  request("PUT", "/" + encode_path(index) + "/_mapping", mapping.dump());
}

void Client::refresh(const std::string& index) {
  request("POST", "/" + encode_path(index) + "/_refresh");
}

std::optional<Document> Client::get_document(const std::string& index, const std::string& id) {
  auto response = request("GET", "/" + encode_path(index) + "/_doc/" + encode_path(id), {},
                          "application/json", {404});
  json doc = json::parse(response.body, nullptr, false);
  if (response.status == 404) {
    // A missing index is an error; a missing document is an answer.
    if (doc.is_object() && doc.contains("error")) throw error_from_response(response, "GET " + index);
    return std::nullopt;
  }
  Document out;
  out.id = doc.value("_id", id);
  out.source = doc.value("_source", json::object());
  out.seq = {doc.value("_seq_no", 0LL), doc.value("_primary_term", 0LL)};
  return out;
}

WriteResult Client::index_document(const std::string& index, const std::optional<std::string>& id,
                                   const json& doc, const std::optional<SeqNo>& if_seq,
                                   Refresh refresh) {
  std::string path = "/" + encode_path(index) + "/_doc";
  if (id) path += "/" + encode_path(*id);
  path += query({seq_params(if_seq), refresh_param(refresh)});
  return write_result(request(id ? "PUT" : "POST", path, doc.dump()));
}

WriteResult Client::update_document(const std::string& index, const std::string& id,
                                    const json& partial_doc, const std::optional<SeqNo>& if_seq,
                                    Refresh refresh) {
  std::string path = "/" + encode_path(index) + "/_update/" + encode_path(id) +
                     query({seq_params(if_seq), refresh_param(refresh)});
  return write_result(request("POST", path, json{{"doc", partial_doc}}.dump()));
}

WriteResult Client::delete_document(const std::string& index, const std::string& id,
                                    const std::optional<SeqNo>& if_seq, Refresh refresh) {
  std::string path = "/" + encode_path(index) + "/_doc/" + encode_path(id) +
                     query({seq_params(if_seq), refresh_param(refresh)});
  return write_result(request("DELETE", path));
}

BulkResponse Client::bulk(const std::string& ndjson, const std::optional<std::string>& pipeline,
                          Refresh refresh, std::stop_token stop) {
  std::string path = "/_bulk" + query({pipeline ? "pipeline=" + encode_path(*pipeline) : "",
                                       refresh_param(refresh)});
  auto response = request("POST", path, ndjson, "application/x-ndjson", {}, stop);
  return parse_bulk_response(response.body);
}

json Client::search(const std::string& index, const json& body, std::stop_token stop) {
  auto response = request("POST", "/" + encode_path(index) + "/_search", body.dump(),
                          "application/json", {}, stop);
  return parse_answer(response, "search " + index);
}

long long Client::count(const std::string& index, const json& query_body) {
  json body = query_body.is_null() ? json::object() : json{{"query", query_body}};
  auto response = request("POST", "/" + encode_path(index) + "/_count", body.dump());
  return parse_answer(response, "count " + index).value("count", 0LL);
}

long long Client::delete_by_query(const std::string& index, const json& query_body, bool refresh) {
  std::string path = "/" + encode_path(index) + "/_delete_by_query" +
                     query({"conflicts=proceed", refresh ? "refresh=true" : ""});
  auto response = request("POST", path, json{{"query", query_body}}.dump());
  return parse_answer(response, "delete_by_query " + index).value("deleted", 0LL);
}

void Client::put_pipeline(const std::string& id, const json& body) {
  request("PUT", "/_ingest/pipeline/" + encode_path(id), body.dump());
}

std::optional<json> Client::get_pipeline(const std::string& id) {
  auto response = request("GET", "/_ingest/pipeline/" + encode_path(id), {}, "application/json", {404});
  if (response.status == 404) return std::nullopt;
  json doc = parse_answer(response, "GET pipeline " + id);
  return doc.contains(id) ? std::optional<json>(doc[id]) : std::nullopt;
}

}  // namespace connectors::es
