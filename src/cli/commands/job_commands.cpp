// `connectors job start|list|view|cancel`: on-demand sync jobs in
// `.elastic-connectors-sync-jobs`, as the Python framework's CLI handles them.
#include "cli/commands/commands.h"
#include "cli/commands/output.h"
#include "protocol/jobs.h"
#include "protocol/statuses.h"

namespace connectors::cli {
namespace {

using protocol::JobStore;
using protocol::SyncJob;

struct StartArgs {
  std::string connector_id;
  std::string job_type;
  bool json = false;
  std::string format = "text";
};

struct ListArgs {
  std::string connector_id;
  bool json = false;
  std::string format = "text";
};

struct ViewArgs {
  std::string job_id;
  bool json = false;
  std::string format = "text";
};

struct CancelArgs {
  std::string job_id;
  bool yes = false;
};

void add_json_flags(CLI::App* cmd, bool& json_flag, std::string& format) {
  auto* flag = cmd->add_flag("--json", json_flag, "Print JSON instead of text");
  cmd->add_option("-o,--format", format, "text or json (as the Python CLI)")
      ->check(CLI::IsMember({"text", "json"}))
      ->excludes(flag);
}

bool wants_json(bool json_flag, const std::string& format) { return json_flag || format == "json"; }

// The job's document for printing: id first, secrets of the configuration snapshot masked.
json job_json(const SyncJob& job) {
  json out = {{"id", job.id()}};
  for (const auto& [key, value] : job.doc.source.items()) out[key] = value;
  if (out.contains("connector") && out["connector"].is_object() && out["connector"].contains("configuration")) {
    out["connector"]["configuration"] = mask_sensitive(out["connector"]["configuration"]);
  }
  if (out.contains("error") && out["error"].is_string()) out["error"] = logging::redact(out["error"].get<std::string>());
  return out;
}

std::string field(const SyncJob& job, const char* key) {
  std::string text = cell_text(job.doc.source, key);
  return text == "-" ? "" : text;
}

// --- job start ---

int run_start(const StartArgs& a, const GlobalOptions& global) {
  auto session = open_session(global);
  protocol::ConnectorStore connectors(*session.client);
  auto connector = connectors.get(a.connector_id);
  if (!connector || connector->doc.source.value("deleted", false)) {
    throw CommandError("connector '" + a.connector_id + "' not found");
  }
  JobStore jobs(*session.client);
  std::string id = jobs.create(*connector, a.job_type, "on_demand", session.config.service.redact_job_secrets);
  if (wants_json(a.json, a.format)) {
    auto job = jobs.get(id);
    std::cout << json_text(job ? job_json(*job)
                               : json{{"id", id}, {"job_type", a.job_type}, {"status", protocol::job_status::kPending}});
    return 0;
  }
  std::cout << "Started a " << a.job_type << " sync job for connector " << a.connector_id << " (index "
            << connector->index_name() << "): " << id << "\n";
  return 0;
}

// --- job list ---

int run_list(const ListArgs& a, const GlobalOptions& global) {
  auto session = open_session(global);
  JobStore jobs(*session.client);
  auto found = jobs.of_connector(a.connector_id);  // oldest first
  if (found.empty()) {
    protocol::ConnectorStore connectors(*session.client);
    if (!connectors.get(a.connector_id)) throw CommandError("connector '" + a.connector_id + "' not found");
  }
  if (wants_json(a.json, a.format)) {
    json out = json::array();
    for (const auto& job : found) out.push_back(job_json(job));
    std::cout << json_text(out);
    return 0;
  }
  if (found.empty()) {
    std::cout << "No sync jobs for connector " << a.connector_id << ".\n";
    return 0;
  }
  Table table({"JOB ID", "CONNECTOR", "INDEX", "STATUS", "TYPE", "INDEXED", "VOLUME (MiB)", "DELETED", "ERROR"});
  for (size_t column : {5, 6, 7}) table.align_right(column);
  table.set_max_width(8, 60);
  for (const auto& job : found) {
    const json& s = job.doc.source;
    table.add_row({job.id(), job.connector_id(), job.index_name(), cell_text(s, "status"), cell_text(s, "job_type"),
                   cell_text(s, "indexed_document_count"), cell_text(s, "indexed_document_volume"),
                   cell_text(s, "deleted_document_count"), logging::redact(cell_text(s, "error"))});
  }
  std::cout << table.render();
  return 0;
}

// --- job view ---

SyncJob require_job(JobStore& jobs, const std::string& id) {
  auto job = jobs.get(id);
  if (!job) throw CommandError("sync job '" + id + "' not found");
  return std::move(*job);
}

int run_view(const ViewArgs& a, const GlobalOptions& global) {
  auto session = open_session(global);
  JobStore jobs(*session.client);
  SyncJob job = require_job(jobs, a.job_id);
  if (wants_json(a.json, a.format)) {
    std::cout << json_text(job_json(job));
    return 0;
  }
  std::string connector = job.connector_id();
  if (!job.service_type().empty()) connector += " (" + job.service_type() + ")";
  std::cout << key_values({
      {"Job ID", job.id()},
      {"Connector", connector},
      {"Index", job.index_name()},
      {"Status", field(job, "status")},
      {"Type", field(job, "job_type")},
      {"Trigger", field(job, "trigger_method")},
      {"Created at", field(job, "created_at")},
      {"Started at", field(job, "started_at")},
      {"Last seen", field(job, "last_seen")},
      {"Cancelation requested at", field(job, "cancelation_requested_at")},
      {"Canceled at", field(job, "canceled_at")},
      {"Completed at", field(job, "completed_at")},
      {"Indexed documents", field(job, "indexed_document_count")},
      {"Indexed volume (MiB)", field(job, "indexed_document_volume")},
      {"Deleted documents", field(job, "deleted_document_count")},
      {"Total documents", field(job, "total_document_count")},
      {"Error", logging::redact(field(job, "error"))},
      {"Worker", field(job, "worker_hostname")},
  });
  return 0;
}

// --- job cancel ---

int run_cancel(const CancelArgs& a, const GlobalOptions& global) {
  auto session = open_session(global);
  JobStore jobs(*session.client);
  SyncJob job = require_job(jobs, a.job_id);
  std::string before = job.status();
  if (protocol::is_terminal_job_status(before)) {
    std::cout << "Sync job " << a.job_id << " had already ended (" << before << "); nothing to cancel.\n";
    return 0;
  }
  if (before == protocol::job_status::kCanceling) {
    std::cout << "Sync job " << a.job_id << " is already being canceled.\n";
    return 0;
  }
  if (!a.yes && !confirm("Cancel sync job " + a.job_id + " (" + before + ")?", std::cin, std::cerr)) {
    std::cerr << "Sync job " << a.job_id << " left as it was.\n";
    return 1;
  }
  bool changed = jobs.cancel(a.job_id);
  auto after = jobs.get(a.job_id);
  std::string now = after ? after->status() : "";
  if (changed && now == protocol::job_status::kCanceled) {
    std::cout << "Canceled sync job " << a.job_id << " (it was " << before << ").\n";
  } else if (changed && now == protocol::job_status::kCanceling) {
    std::cout << "Sync job " << a.job_id << " is canceling: the worker running it will stop it shortly.\n";
  } else if (!after) {
    throw CommandError("sync job '" + a.job_id + "' disappeared while canceling it");
  } else {
    std::cout << "Sync job " << a.job_id << " had already ended (" << now << "); nothing to cancel.\n";
  }
  return 0;
}

}  // namespace

Runner add_job_commands(CLI::App& app, std::shared_ptr<GlobalOptions> global) {
  auto* group = app.add_subcommand("job", "Start, list, view and cancel sync jobs");
  group->require_subcommand(1);

  auto start_args = std::make_shared<StartArgs>();
  auto* start = group->add_subcommand("start", "Start an on-demand sync job (picked up by the service)");
  start->add_option("-i,--connector-id", start_args->connector_id, "The connector")->required();
  start->add_option("-t,--job-type", start_args->job_type, "full, incremental or access_control")
      ->required()
      ->check(CLI::IsMember({"full", "incremental", "access_control"}));
  add_json_flags(start, start_args->json, start_args->format);

  auto list_args = std::make_shared<ListArgs>();
  auto* list = group->add_subcommand("list", "List the sync jobs of a connector, oldest first");
  list->add_option("connector_id", list_args->connector_id, "The connector")->required();
  add_json_flags(list, list_args->json, list_args->format);

  auto view_args = std::make_shared<ViewArgs>();
  auto* view = group->add_subcommand("view", "Show every field of a sync job");
  view->add_option("job_id", view_args->job_id, "The sync job")->required();
  add_json_flags(view, view_args->json, view_args->format);

  auto cancel_args = std::make_shared<CancelArgs>();
  auto* cancel = group->add_subcommand("cancel", "Cancel a sync job (pending: at once; running: by its worker)");
  cancel->add_option("job_id", cancel_args->job_id, "The sync job")->required();
  cancel->add_flag("-y,--yes", cancel_args->yes, "Do not ask for confirmation");

  return [=]() -> int {
    if (start->parsed()) return run_guarded("job start", [&] { return run_start(*start_args, *global); });
    if (list->parsed()) return run_guarded("job list", [&] { return run_list(*list_args, *global); });
    if (view->parsed()) return run_guarded("job view", [&] { return run_view(*view_args, *global); });
    if (cancel->parsed()) return run_guarded("job cancel", [&] { return run_cancel(*cancel_args, *global); });
    return -1;
  };
}

}  // namespace connectors::cli
