// `connectors index list|clean|delete`: the content indices, their document
// counts, emptying one (delete-by-query, or scroll + bulk delete on engines
// without it) and deleting one.
#include <algorithm>

#include "cli/commands/commands.h"
#include "cli/commands/output.h"
#include "es/bulk.h"
#include "es/search.h"
#include "protocol/connectors.h"

namespace connectors::cli {
namespace {

struct ListArgs {
  bool all = false;
  bool json = false;
};

struct TargetArgs {
  std::string index;
  bool yes = false;
};

struct IndexRow {
  std::string index;
  json docs;  // count, or null (closed index)
  json health;
  json status;
};

long long to_count(const json& v) {
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_string()) {
    try {
      return std::stoll(v.get<std::string>());
    } catch (const std::exception&) {
    }
  }
  return -1;
}

// GET /_cat/indices (every engine we know); GET /_stats/docs as the fallback.
std::vector<IndexRow> list_indices(es::Client& client, bool all) {
  std::vector<IndexRow> rows;
  auto cat = client.request("GET",
                            std::string("/_cat/indices?format=json&h=index,docs.count,health,status") +
                                (all ? "&expand_wildcards=all" : ""),
                            {}, "application/json", {400, 404, 405});
  json parsed = cat.status == 200 ? json::parse(cat.body, nullptr, false) : json();
  if (parsed.is_array()) {
    for (const auto& entry : parsed) {
      long long n = to_count(entry.value("docs.count", json(nullptr)));
      rows.push_back({entry.value("index", ""), n < 0 ? json(nullptr) : json(n),
                      entry.value("health", json(nullptr)), entry.value("status", json(nullptr))});
    }
  } else {
    auto stats = client.request("GET", std::string("/_stats/docs") + (all ? "?expand_wildcards=all" : ""));
    json doc = json::parse(stats.body, nullptr, false);
    const json* indices = doc.is_object() && doc.contains("indices") ? &doc["indices"] : nullptr;
    if (indices && indices->is_object()) {
      for (auto it = indices->begin(); it != indices->end(); ++it) {
        json count = nullptr;
        const json& entry = it.value();
        if (entry.contains("primaries") && entry["primaries"].contains("docs")) {
          count = entry["primaries"]["docs"].value("count", json(nullptr));
        }
        rows.push_back({it.key(), count, nullptr, nullptr});
      }
    }
  }
  if (!all) {
    rows.erase(std::remove_if(rows.begin(), rows.end(), [](const IndexRow& r) { return r.index.starts_with("."); }),
               rows.end());
  }
  std::sort(rows.begin(), rows.end(), [](const IndexRow& x, const IndexRow& y) { return x.index < y.index; });
  return rows;
}

int run_list(const ListArgs& a, const GlobalOptions& global) {
  auto session = open_session(global);
  auto rows = list_indices(*session.client, a.all);
  if (a.json) {
    json out = json::array();
    for (const auto& r : rows) {
      out.push_back({{"index", r.index}, {"docs", r.docs}, {"health", r.health}, {"status", r.status}});
    }
    std::cout << json_text(out);
    return 0;
  }
  if (rows.empty()) {
    std::cout << (a.all ? "No indices.\n" : "No indices (use --all to include the dot-indices).\n");
    return 0;
  }
  Table table({"INDEX", "DOCS"});
  table.align_right(1);
  for (const auto& r : rows) table.add_row({r.index, cell_text(r.docs)});
  std::cout << table.render();
  return 0;
}

void require_index(es::Client& client, const std::string& index) {
  if (!client.index_exists(index)) throw CommandError("index '" + index + "' does not exist");
}

// Scroll over the ids and delete them with _bulk: for engines without
// _delete_by_query (Elasticsearch without the reindex module).
long long delete_all_by_scroll(es::Client& client, const std::string& index) {
  long long deleted = 0;
  {
    es::ScrollReader reader(client, index, {{"_source", false}, {"query", {{"match_all", json::object()}}}}, 1000,
                            "2m", "hits.hits._id");
    std::vector<json> hits;
    while (reader.next(hits)) {
      es::BulkBuilder bulk;
      for (const auto& hit : hits) bulk.add(es::BulkOp::kDelete, index, hit.value("_id", ""));
      auto response = client.bulk(bulk.take());
      for (const auto& item : response.items) {
        if (item.ok()) {
          ++deleted;
        } else if (item.status != 404) {
          throw CommandError("deleting document " + item.id + " of '" + index + "' failed: " + item.error_type +
                             ": " + item.error_reason);
        }
      }
    }
  }
  client.refresh(index);
  return deleted;
}

int run_clean(const TargetArgs& a, const GlobalOptions& global) {
  auto session = open_session(global);
  es::Client& client = *session.client;
  require_index(client, a.index);
  if (!a.yes && !confirm("Delete every document of index '" + a.index + "'?", std::cin, std::cerr)) {
    std::cerr << "Index '" << a.index << "' left as it was.\n";
    return 1;
  }
  long long deleted = 0;
  try {
    deleted = client.delete_by_query(a.index, {{"match_all", json::object()}});
  } catch (const es::EsError& e) {
    // 400/404/405: no _delete_by_query handler on this engine.
    if (e.status() != 400 && e.status() != 404 && e.status() != 405) throw;
    spdlog::debug("_delete_by_query unavailable ({}); deleting by scroll and _bulk", e.what());
    deleted = delete_all_by_scroll(client, a.index);
  }
  std::cout << "Deleted " << deleted << " document" << (deleted == 1 ? "" : "s") << " from index " << a.index
            << ".\n";
  return 0;
}

int run_delete(const TargetArgs& a, const GlobalOptions& global) {
  auto session = open_session(global);
  es::Client& client = *session.client;
  require_index(client, a.index);
  if (!a.yes && !confirm("Delete index '" + a.index + "' and all its documents?", std::cin, std::cerr)) {
    std::cerr << "Index '" << a.index << "' left as it was.\n";
    return 1;
  }
  client.delete_index(a.index);
  std::cout << "Deleted index " << a.index << ".\n";
  // A connector still pointing at it recreates it at its next sync: say so.
  protocol::ConnectorStore store(client);
  auto users = store.store().search({{"term", {{"index_name", a.index}}}}, json::array(), 10);
  for (const auto& doc : users) {
    if (!doc.source.value("deleted", false)) {
      std::cerr << "note: connector " << doc.id << " still uses index " << a.index << "\n";
    }
  }
  return 0;
}

}  // namespace

Runner add_index_commands(CLI::App& app, std::shared_ptr<GlobalOptions> global) {
  auto* group = app.add_subcommand("index", "List, empty and delete indices");
  group->require_subcommand(1);

  auto list_args = std::make_shared<ListArgs>();
  auto* list = group->add_subcommand("list", "List the indices and their document counts");
  list->add_flag("-a,--all", list_args->all, "Include the dot-indices (system and hidden ones)");
  list->add_flag("--json", list_args->json, "Print a JSON array instead of a table");

  auto clean_args = std::make_shared<TargetArgs>();
  auto* clean = group->add_subcommand("clean", "Delete every document of an index (keeps the index)");
  clean->add_option("index", clean_args->index, "The index")->required();
  clean->add_flag("-y,--yes", clean_args->yes, "Do not ask for confirmation");

  auto delete_args = std::make_shared<TargetArgs>();
  auto* del = group->add_subcommand("delete", "Delete an index");
  del->add_option("index", delete_args->index, "The index")->required();
  del->add_flag("-y,--yes", delete_args->yes, "Do not ask for confirmation");

  return [=]() -> int {
    if (list->parsed()) return run_guarded("index list", [&] { return run_list(*list_args, *global); });
    if (clean->parsed()) return run_guarded("index clean", [&] { return run_clean(*clean_args, *global); });
    if (del->parsed()) return run_guarded("index delete", [&] { return run_delete(*delete_args, *global); });
    return -1;
  };
}

}  // namespace connectors::cli
