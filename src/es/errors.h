// Errors from Elasticsearch or from the way to it. EsError keeps the HTTP
// status, the ES error type and reason as members so that job documents and
// retry decisions do not parse text.
#pragma once

#include <string>

#include "core/errors.h"

namespace connectors::es {

class EsError : public Error {
 public:
  // status 0 = no HTTP answer (connection refused, reset, timeout).
  EsError(int status, std::string type, std::string reason, std::string context = "")
      : Error(compose(status, type, reason, context)),
        status_(status),
        type_(std::move(type)),
        reason_(std::move(reason)) {}

  int status() const { return status_; }
  const std::string& type() const { return type_; }
  const std::string& reason() const { return reason_; }
  bool is_version_conflict() const { return status_ == 409; }
  bool is_not_found() const { return status_ == 404; }
  bool is_connection_error() const { return status_ == 0; }

 private:
  static std::string compose(int status, const std::string& type, const std::string& reason,
                             const std::string& context) {
    std::string text = context.empty() ? "" : context + ": ";
    if (status != 0) text += "HTTP " + std::to_string(status) + " ";
    text += type;
    if (!reason.empty()) text += ": " + reason;
    return text;
  }

  int status_;
  std::string type_;
  std::string reason_;
};

}  // namespace connectors::es
