// Building _bulk request bodies and reading their per-item results. A
// BulkBuilder is one request in the making; not thread-safe (one per sender).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace connectors::es {

enum class BulkOp { kIndex, kCreate, kUpdate, kDelete };

std::string_view bulk_op_name(BulkOp op);

class BulkBuilder {
 public:
  // `source_json` is the document already serialised to one JSON line.
  void add(BulkOp op, std::string_view index, std::string_view id,
           std::string_view source_json = {});
  const std::string& body() const { return body_; }
  size_t operations() const { return operations_; }
  size_t bytes() const { return body_.size(); }
  bool empty() const { return operations_ == 0; }
  std::string take();  // moves the body out and resets
  void reserve(size_t bytes) { body_.reserve(bytes); }
  // What add() appends for an operation, give or take a few bytes of metadata.
  static size_t estimate(std::string_view index, std::string_view id,
                         std::string_view source_json) {
    return index.size() + id.size() + source_json.size() + 48;
  }

 private:
  std::string body_;
  size_t operations_ = 0;
};

struct BulkItem {
  BulkOp op = BulkOp::kIndex;
  std::string index;
  std::string id;
  int status = 0;
  std::string result;      // created / updated / deleted / not_found / noop
  std::string error_type;  // empty when the item succeeded
  std::string error_reason;
  bool ok() const { return error_type.empty() && status >= 200 && status < 300; }
};

struct BulkResponse {
  bool errors = false;
  long long took_ms = 0;
  std::vector<BulkItem> items;
};

// Parses a _bulk response body. Throws EsError(500, "bad_bulk_response") on junk.
BulkResponse parse_bulk_response(std::string_view body);

}  // namespace connectors::es
