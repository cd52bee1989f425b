#include "es/bulk.h"

#include "es/errors.h"

namespace connectors::es {

std::string_view bulk_op_name(BulkOp op) {
  switch (op) {
    case BulkOp::kIndex: return "index";
    case BulkOp::kCreate: return "create";
    case BulkOp::kUpdate: return "update";
    case BulkOp::kDelete: return "delete";
  }
  return "index";
}

void BulkBuilder::add(BulkOp op, std::string_view index, std::string_view id,
                      std::string_view source_json) {
  nlohmann::json meta = {{"_index", index}};
  if (!id.empty()) meta["_id"] = id;
  body_ += "{\"";
  body_ += bulk_op_name(op);
  body_ += "\":";
  body_ += meta.dump();
  body_ += "}\n";
  if (op != BulkOp::kDelete) {
    body_ += source_json;
    body_ += '\n';
  }
  ++operations_;
}

std::string BulkBuilder::take() {
  operations_ = 0;
  std::string out;
  out.swap(body_);
  return out;
}

BulkResponse parse_bulk_response(std::string_view body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("items")) {
    throw EsError(500, "bad_bulk_response", "the _bulk answer is not a bulk response");
  }
  BulkResponse response;
  response.errors = doc.value("errors", false);
  response.took_ms = doc.value("took", 0LL);
  for (const auto& entry : doc["items"]) {
    if (!entry.is_object() || entry.empty()) continue;
    auto first = entry.begin();
    const std::string& name = first.key();
    const nlohmann::json& item = first.value();
    BulkItem out;
    if (name == "create") out.op = BulkOp::kCreate;
    else if (name == "update") out.op = BulkOp::kUpdate;
    else if (name == "delete") out.op = BulkOp::kDelete;
    out.index = item.value("_index", "");
    out.id = item.value("_id", "");
    out.status = item.value("status", 0);
    out.result = item.value("result", "");
    if (item.contains("error")) {
      const auto& error = item["error"];
      if (error.is_object()) {
        out.error_type = error.value("type", "unknown_error");
        out.error_reason = error.value("reason", "");
        if (error.contains("caused_by") && error["caused_by"].is_object()) {
          out.error_reason += " (caused by " + error["caused_by"].value("type", "") + ": " +
                              error["caused_by"].value("reason", "") + ")";
        }
      } else {
        out.error_type = "unknown_error";
        out.error_reason = error.dump();
      }
    }
    response.items.push_back(std::move(out));
  }
  return response;
}

}  // namespace connectors::es
