#include "sources/azure_blob_storage/blob_service.h"

#include <algorithm>
#include <ctime>

#include "core/errors.h"
#include "sources/azure_blob_storage/shared_key.h"
#include "sources/common/python_text.h"

namespace connectors::sources::azure {
namespace {

http::ClientOptions client_options(const ServiceSettings& s) {
  http::ClientOptions options;
  options.base_url = s.blob_endpoint;
  options.retry.retry_count = s.retry_count;
  options.retry.base = s.retry_base;
  options.retry.jitter = true;
  return options;
}

// The path of `endpoint` ("http://h:1/acct/" -> "/acct"); "" without one.
std::string endpoint_path(const std::string& endpoint) {
  size_t scheme = endpoint.find("://");
  size_t slash = endpoint.find('/', scheme + 3);
  if (slash == std::string::npos) return "";
  std::string path = endpoint.substr(slash);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

std::string blob_path(const std::string& container, const std::string& blob) {
  return "/" + http::percent_encode(container) + "/" + http::percent_encode(blob, true);
}

BlobService::BlobService(ServiceSettings settings)
    : settings_(std::move(settings)), client_(client_options(settings_)) {
  auto key = decode_account_key(settings_.account_key.reveal());
  if (!key) {
    throw ConfigError("account_key", "'Azure Blob Storage account key' (account_key) of account '" +
                                         settings_.account_name + "' is not a base64 key");
  }
  key_ = Secret(*key);
  const std::string& e = settings_.blob_endpoint;
  if (!(e.starts_with("http://") || e.starts_with("https://")) || e.find("://") + 3 >= e.size()) {
    throw ConfigError("blob_endpoint",
                      "'Azure Blob Storage blob endpoint' (blob_endpoint) must be an http:// or "
                      "https:// URL, not '" +
                          e + "'");
  }
  path_prefix_ = endpoint_path(e);
}

http::Request BlobService::signed_request(http::Request request) const {
  request.headers["x-ms-date"] = rfc1123(std::time(nullptr));
  request.headers["x-ms-version"] = std::string(kApiVersion);
  bool has_type = std::any_of(request.headers.begin(), request.headers.end(), [](const auto& h) {
    return common::lower(h.first) == "content-type";
  });
  // libcurl would add (unsigned) application/x-www-form-urlencoded to a PUT or POST.
  if (!has_type && (request.method == "PUT" || request.method == "POST" || !request.body.empty()))
    request.headers["Content-Type"] = "application/octet-stream";
  if (!request.body.empty())
    request.headers["Content-Length"] = std::to_string(request.body.size());
  std::string to_sign = string_to_sign(request.method, request.headers, settings_.account_name,
                                       path_prefix_ + request.path, request.query);
  request.headers.erase("Content-Length");  // libcurl sends it
  request.authorization = Secret(authorization(settings_.account_name, key_.reveal(), to_sign));
  return request;
}

void BlobService::fail(const std::string& what, const http::HttpError& failure) const {
  std::string account = "account '" + settings_.account_name + "'";
  if (failure.is_connection_error()) {
    throw SourceError("azure_blob_storage: cannot " + what + " of " + account +
                      ": the blob endpoint " + settings_.blob_endpoint +
                      " cannot be reached: " + failure.what());
  }
  std::string code = error_code(failure.detail());
  if (failure.status() == 403 &&
      (code == "AuthenticationFailed" || code == "AuthorizationFailure")) {
    throw SourceError("azure_blob_storage: cannot " + what + ": " + account +
                      " refused the account key (HTTP 403 " + code +
                      "): check account_name and account_key: " + failure.what());
  }
  throw SourceError("azure_blob_storage: cannot " + what + " of " + account + ": " +
                    (code.empty() ? "" : code + ": ") + failure.what());
}

http::Response BlobService::send(http::Request request, std::stop_token stop) {
  return client_.send(signed_request(std::move(request)), stop);
}

void BlobService::ping(std::stop_token stop) {
  try {
    send({"GET", "/", {{"restype", "account"}, {"comp", "properties"}}}, stop);
  } catch (const http::HttpError& e) {
    fail("get the account information", e);
  }
}

void BlobService::list(const std::string& path, http::QueryParams query,
                       const std::function<std::string(const std::string& body)>& read_page,
                       const std::string& what, std::stop_token stop) {
  if (settings_.page_size > 0)
    query.emplace_back("maxresults", std::to_string(settings_.page_size));
  http::Request first(std::string("GET"), path, query);
  try {
    client_.paginate(
        signed_request(first),
        [&](const http::Response& page) -> std::optional<http::Request> {
          std::string marker;
          try {
            marker = read_page(page.body);
          } catch (const std::runtime_error& e) {
            throw SourceError("azure_blob_storage: cannot " + what + " of account '" +
                              settings_.account_name + "': unreadable answer: " + e.what());
          }
          if (marker.empty()) return std::nullopt;
          http::Request next = first;
          next.query.emplace_back("marker", marker);
          return signed_request(std::move(next));
        },
        stop);
  } catch (const http::HttpError& e) {
    fail(what, e);
  }
}

void BlobService::list_containers(const std::function<void(const ContainerItem&)>& each,
                                  std::stop_token stop) {
  list(
      "/", {{"comp", "list"}, {"include", "metadata"}},
      [&](const std::string& body) {
        auto page = parse_container_list(body);
        for (const auto& item : page.items) each(item);
        return page.next_marker;
      },
      "list the containers", stop);
}

void BlobService::list_blobs(const std::string& container,
                             const std::function<void(const BlobItem&)>& each,
                             std::stop_token stop) {
  list(
      "/" + http::percent_encode(container),
      {{"restype", "container"}, {"comp", "list"}, {"include", "metadata"}},
      [&](const std::string& body) {
        auto page = parse_blob_list(body);
        for (const auto& item : page.items) each(item);
        return page.next_marker;
      },
      "list the blobs of container '" + container + "'", stop);
}

http::DownloadResult BlobService::download(const std::string& container, const std::string& blob,
                                           const http::Sink& sink, uint64_t max_bytes,
                                           std::stop_token stop) {
  try {
    return client_.download(signed_request({"GET", blob_path(container, blob)}), sink, max_bytes,
                            stop);
  } catch (const http::HttpError& e) {
    fail("download blob '" + blob + "' of container '" + container + "'", e);
  }
}

}  // namespace connectors::sources::azure
