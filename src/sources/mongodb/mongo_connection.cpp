#include "sources/mongodb/mongo_connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>

#include "core/errors.h"
#include "sources/common/connection_support.h"
#include "sources/common/python_text.h"

namespace connectors::sources::mongodb {
namespace {

struct UriDeleter {
  void operator()(mongoc_uri_t* uri) const { mongoc_uri_destroy(uri); }
};
using UriPtr = std::unique_ptr<mongoc_uri_t, UriDeleter>;

// libmongoc's log, with URIs redacted: its warnings are mostly noise for a
// user ("Couldn't send endSessions"), its errors are worth seeing.
void log_handler(mongoc_log_level_t level, const char* domain, const char* message, void*) {
  if (level > MONGOC_LOG_LEVEL_WARNING) return;
  std::string text = redact_uris(message ? message : "");
  if (level == MONGOC_LOG_LEVEL_WARNING) {
    spdlog::debug("mongodb ({}): {}", domain ? domain : "", text);
  } else {
    spdlog::warn("mongodb ({}): {}", domain ? domain : "", text);
  }
}

void init_driver() {
  static std::once_flag once;
  std::call_once(once, [] {
    mongoc_init();
    mongoc_log_set_handler(log_handler, nullptr);
    std::atexit(mongoc_cleanup);
  });
}

// Server error codes after which a read may be tried again (the driver
// specifications' retryable read errors).
bool transient_server_code(uint32_t code) {
  static const uint32_t kCodes[] = {6,    7,     89,    91,    189,   262,
                                    9001, 10107, 11600, 11602, 13435, 13436};
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

bool transient(const bson_error_t& error) {
  if (error.domain == MONGOC_ERROR_CLIENT && error.code == MONGOC_ERROR_CLIENT_AUTHENTICATE)
    return false;
  std::string message = common::lower(error.message);
  if (message.find("authentication failed") != std::string::npos) return false;
  if (error.domain == MONGOC_ERROR_STREAM || error.domain == MONGOC_ERROR_SERVER_SELECTION)
    return true;
  return error.domain == MONGOC_ERROR_SERVER && transient_server_code(error.code);
}

std::vector<std::string> take_names(char** names) {
  std::vector<std::string> out;
  for (char** n = names; n && *n; ++n) out.emplace_back(*n);
  bson_strfreev(names);
  return out;
}

}  // namespace

std::string redact_uris(std::string text) {
  for (size_t at = text.find("://"); at != std::string::npos; at = text.find("://", at + 3)) {
    size_t start = at + 3;
    size_t end = text.find_first_of("/?# \t\r\n'\"", start);
    if (end == std::string::npos) end = text.size();
    size_t sign = text.rfind('@', end);
    if (sign == std::string::npos || sign < start) continue;
    size_t colon = text.find(':', start);
    if (colon == std::string::npos || colon > sign) continue;  // a user without a password
    text.replace(colon + 1, sign - colon - 1, "***");
  }
  return text;
}

std::string tls_conflict(std::string_view host, bool ssl_enabled) {
  auto query_at = host.find('?');
  if (query_at == std::string_view::npos) return "";
  std::string query(host.substr(query_at + 1));
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find_first_of("&;", start);
    std::string pair =
        query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    auto eq = pair.find('=');
    if (eq != std::string::npos) {
      std::string name = common::lower(pair.substr(0, eq));
      std::string value = common::lower(pair.substr(eq + 1));
      if ((name == "ssl" || name == "tls") && (value == "true" || value == "false")) {
        bool on = value == "true";
        if (on != ssl_enabled) {
          return fmt::format(
              "the host URI sets {}={} but 'SSL/TLS Connection' (ssl_enabled) is {}: make them "
              "agree",
              name, value, ssl_enabled ? "on" : "off");
        }
      }
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return "";
}

std::string uri_problem(const std::string& host) {
  init_driver();
  bson_error_t error;
  UriPtr uri(mongoc_uri_new_with_error(host.c_str(), &error));
  return uri ? "" : redact_uris(error.message);
}

Connection::Connection(ConnectionSettings settings) : settings_(std::move(settings)) {
  init_driver();
  bson_error_t error;
  UriPtr uri(mongoc_uri_new_with_error(settings_.host.c_str(), &error));
  if (!uri) {
    throw ConfigError(
        "host", "'Server hostname' (host) is not a valid MongoDB URI: " + clean(error.message));
  }
  if (!settings_.user.empty() || !settings_.password.empty()) {
    mongoc_uri_set_username(uri.get(), settings_.user.c_str());
    mongoc_uri_set_password(uri.get(), settings_.password.reveal().c_str());
  }
  if (settings_.direct_connection) {
    mongoc_uri_set_option_as_bool(uri.get(), MONGOC_URI_DIRECTCONNECTION, true);
  }
  if (settings_.tls) {
    mongoc_uri_set_option_as_bool(uri.get(), MONGOC_URI_TLS, true);
    if (!settings_.ca_file.empty()) {
      mongoc_uri_set_option_as_utf8(uri.get(), MONGOC_URI_TLSCAFILE, settings_.ca_file.c_str());
    }
    if (settings_.tls_insecure) {
      mongoc_uri_set_option_as_bool(uri.get(), MONGOC_URI_TLSINSECURE, true);
    }
  }
  if (!mongoc_uri_get_appname(uri.get())) mongoc_uri_set_appname(uri.get(), "elastic-connectors");
  client_ = mongoc_client_new_from_uri_with_error(uri.get(), &error);
  if (client_ == nullptr) {
    throw SourceError(fmt::format("mongodb: cannot create a client for {}: {}", describe(),
                                  clean(error.message)));
  }
  mongoc_client_set_error_api(client_, MONGOC_ERROR_API_VERSION_2);
}

Connection::~Connection() {
  if (client_) mongoc_client_destroy(client_);
}

std::string Connection::describe() const {
  std::string out = "host " + redact_uris(settings_.host);
  if (!settings_.user.empty()) out += " (user '" + settings_.user + "')";
  return out;
}

std::string Connection::clean(std::string text) const {
  return common::scrub(redact_uris(std::move(text)), settings_.password.reveal());
}

void Connection::fail(const std::string& what, const bson_error_t& error) const {
  std::string message =
      fmt::format("mongodb: {} failed on {}: {}", what, describe(), clean(error.message));
  if (transient(error)) throw common::TransientError(message);
  throw SourceError(message);
}

void Connection::ping() {
  bson_t* command = BCON_NEW("ping", BCON_INT32(1));
  bson_t reply;
  bson_error_t error;
  bool ok = mongoc_client_command_simple(client_, "admin", command, nullptr, &reply, &error);
  bson_destroy(command);
  bson_destroy(&reply);
  if (!ok) fail("ping", error);
}

std::vector<std::string> Connection::database_names() {
  bson_error_t error;
  char** names = mongoc_client_get_database_names_with_opts(client_, nullptr, &error);
  if (names == nullptr) fail("listing the databases", error);
  return take_names(names);
}

std::vector<std::string> Connection::collection_names(const std::string& database) {
  mongoc_database_t* db = mongoc_client_get_database(client_, database.c_str());
  bson_error_t error;
  char** names = mongoc_database_get_collection_names_with_opts(db, nullptr, &error);
  mongoc_database_destroy(db);
  if (names == nullptr) fail("listing the collections of database " + database, error);
  return take_names(names);
}

}  // namespace connectors::sources::mongodb
