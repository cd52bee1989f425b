#include "sources/confluence/confluence_source.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <set>

#include "core/errors.h"
#include "extraction/plain_text.h"
#include "sources/atlassian/api.h"
#include "sources/atlassian/identities.h"
#include "sources/atlassian/paging.h"
#include "sources/atlassian/settings.h"
#include "sources/atlassian/sync_rules.h"
#include "sources/confluence/confluence_documents.h"

namespace connectors::sources {
namespace {

using atlassian::Api;
using nlohmann::json;

constexpr long long kMaxFileSize = 10485760;  // the framework's FILE_SIZE_LIMIT
// The framework's page sizes (confluence.py@8.8).
constexpr const char* kSpacePage = "100";
constexpr const char* kContentPage = "50";
constexpr const char* kAttachmentPage = "100";
constexpr const char* kUserPage = "100";
constexpr const char* kContentExpand = "children.attachment,history.lastUpdated,body.storage,space";
// With DLS, each page's read restrictions come along (no request per page).
constexpr const char* kRestrictionsExpand =
    ",restrictions.read.restrictions.user,restrictions.read.restrictions.group";

const atlassian::Product& product() {
  static const atlassian::Product p{.name = "Confluence",
                                    .service = "confluence",
                                    .url_key = "confluence_url",
                                    .url_label = "Confluence URL",
                                    .keys_key = "spaces",
                                    .keys_label = "Confluence space keys",
                                    .cloud_email_label = "Confluence Cloud account email",
                                    .retry_label = "Retries per request",
                                    .cloud_default = false,
                                    .max_downloads = 50};
  return p;
}

std::string joined(const std::vector<std::string>& names, size_t at_most) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < at_most; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > at_most) out += fmt::format(", ... ({} in all)", names.size());
  return out;
}

class ConfluenceSource final : public AdvancedRulesSource, public AccessControl {
 public:
  explicit ConfluenceSource(atlassian::Settings s)
      : cloud_(s.cloud),
        site_(s.url + (s.cloud ? "/wiki" : "")),
        spaces_(s.keys),
        dls_toggle_(s.use_document_level_security),
        api_(std::make_shared<Api>(std::move(s), cloud_ ? "/wiki" : "")) {}

  void ping(std::stop_token stop) override {
    api_->get_json(http::Request("GET", "/rest/api/space", {{"limit", "1"}}), "the spaces", stop);
  }

  void documents(DocumentSink& sink, std::stop_token stop) override {
    seen_.clear();
    space_readers_.clear();
    // Spaces first: their permissions are the access of the pages without restrictions.
    list_spaces(queries_.empty() ? &sink : nullptr, stop);
    if (queries_.empty()) {
      for (const char* type : {"blogpost", "page"}) {
        search(confluence::content_cql(spaces_, type), sink, stop);
      }
    } else {
      for (const auto& query : queries_) search(query, sink, stop);
    }
  }

  AccessControl* access_control() override { return this; }

  void set_advanced_rules(const json& value) override {
    queries_ = has_advanced_rules(value) ? atlassian::parse_query_rules(value, "CQL")
                                         : std::vector<std::string>{};
  }

  // Each query is run once (one result): Confluence answers 400 to bad CQL.
  RulesValidation validate_advanced_rules(const json& value, std::stop_token stop) override {
    return atlassian::validate_queries(
        *api_, value, "CQL",
        [](const std::string& query) {
          return http::Request("GET", "/rest/api/content/search", {{"cql", query}, {"limit", "1"}});
        },
        stop);
  }

  void enable_document_level_security(bool enabled) override { dls_feature_ = enabled; }

  // Every user with their groups: Cloud lists the site's users through the
  // platform API (/rest/api/3/users/search, Atlassian accounts only), Server
  // through /rest/api/user/list; groups come from /rest/api/user/memberof.
  void access_control_documents(DocumentSink& sink, std::stop_token stop) override {
    if (!dls_enabled()) return;
    if (cloud_) {
      std::string root = site_.substr(0, site_.size() - std::string("/wiki").size());
      atlassian::for_each_item(
          *api_,
          http::Request("GET", root + "/rest/api/3/users/search",
                        {{"startAt", "0"}, {"maxResults", kUserPage}}),
          "", atlassian::next_in_array, "the users of the site",
          [&](const json& user) {
            if (user.value("accountType", "") != "atlassian" || !user.value("active", true)) return;
            atlassian::User u;
            u.account_id = user.value("accountId", "");
            u.email = user.value("emailAddress", "");
            u.display_name = user.value("displayName", "");
            u.groups = groups_of({{"accountId", u.account_id}}, stop);
            sink.emit(atlassian::identity_document(u));
          },
          stop);
      return;
    }
    atlassian::for_each_item(
        *api_, http::Request("GET", "/rest/api/user/list", {{"limit", kUserPage}}), "results",
        next_page(), "the users",
        [&](const json& user) {
          atlassian::User u;
          u.username = user.value("username", "");
          u.display_name = user.value("displayName", "");
          u.groups = groups_of({{"username", u.username}}, stop);
          sink.emit(atlassian::identity_document(u));
        },
        stop);
  }

 private:
  bool dls_enabled() const { return dls_feature_ && dls_toggle_; }

  atlassian::NextPage next_page() const {
    bool server = !cloud_;
    return [server](const http::Request& current, const json& page) {
      return atlassian::next_linked(current, page, server);
    };
  }

  std::vector<std::pair<std::string, std::string>> groups_of(http::QueryParams who,
                                                             std::stop_token stop) {
    std::vector<std::pair<std::string, std::string>> groups;
    who.emplace_back("limit", kUserPage);
    atlassian::for_each_item(
        *api_, http::Request("GET", "/rest/api/user/memberof", who), "results", next_page(),
        fmt::format("the groups of user '{}'", who.front().second),
        [&](const json& group) {
          groups.emplace_back(group.value("id", ""), group.value("name", ""));
        },
        stop);
    return groups;
  }

  // Every space (their read permissions kept with DLS); the configured ones
  // go to `sink` when it is set. A configured key Confluence does not have
  // fails the sync, naming the ones it has.
  void list_spaces(DocumentSink* sink, std::stop_token stop) {
    http::Request request("GET", "/rest/api/space", {{"limit", kSpacePage}});
    if (dls_enabled()) request.query.emplace_back("expand", "permissions");
    std::set<std::string> wanted(spaces_.begin(), spaces_.end());
    std::vector<std::string> available;
    atlassian::for_each_item(
        *api_, request, "results", next_page(), "the spaces",
        [&](const json& space) {
          std::string key = space.value("key", "");
          available.push_back(key);
          if (dls_enabled()) space_readers_[key] = confluence::space_readers(space, cloud_);
          if (sink == nullptr || (!wanted.empty() && !wanted.count(key))) return;
          Document doc = confluence::space_document(space, site_);
          if (dls_enabled())
            doc.fields["_allow_access_control"] = atlassian::access_list(space_readers_[key]);
          sink->emit(std::move(doc));
        },
        stop);
    std::vector<std::string> missing;
    for (const auto& key : spaces_) {
      if (std::find(available.begin(), available.end(), key) == available.end())
        missing.push_back(key);
    }
    if (!missing.empty()) {
      throw SourceError(
          fmt::format("confluence: spaces '{}' are not available. Available spaces "
                      "are: '{}'",
                      joined(missing, 50), joined(available, 50)));
    }
  }

  // The pages and blog posts a CQL query finds, each followed by its attachments.
  void search(const std::string& cql, DocumentSink& sink, std::stop_token stop) {
    std::string expand = kContentExpand;
    if (dls_enabled()) expand += kRestrictionsExpand;
    http::Request request("GET", "/rest/api/content/search",
                          {{"cql", cql}, {"limit", kContentPage}, {"expand", expand}});
    atlassian::for_each_item(
        *api_, request, "results", next_page(), fmt::format("the content of CQL '{}'", cql),
        [&](const json& content) {
          Document doc = confluence::content_document(content, site_);
          if (doc.id.empty() || !seen_.insert(doc.id).second) return;  // found by an earlier query
          json readers = json::array();
          if (dls_enabled()) {
            // Read restrictions replace the space's permissions.
            auto restricted = confluence::content_readers(content, cloud_);
            readers = atlassian::access_list(
                !restricted.empty() ? restricted
                                    : space_readers_[content.value("/space/key"_json_pointer, "")]);
            doc.fields["_allow_access_control"] = readers;
          }
          sink.emit(std::move(doc));
          if (content.value("/children/attachment/size"_json_pointer, 0) > 0) {
            attachments(content, readers, sink, stop);
          }
        },
        stop);
  }

  void attachments(const json& parent, const json& readers, DocumentSink& sink,
                   std::stop_token stop) {
    std::string id = parent.value("id", "");
    http::Request request("GET",
                          "/rest/api/content/" + http::percent_encode(id) + "/child/attachment",
                          {{"limit", kAttachmentPage}, {"expand", "version"}});
    atlassian::for_each_item(
        *api_, request, "results", next_page(), fmt::format("the attachments of content {}", id),
        [&](const json& attachment) {
          Document doc = confluence::attachment_document(attachment, parent, site_);
          if (doc.id.empty() || !seen_.insert(doc.id).second) return;
          if (dls_enabled()) doc.fields["_allow_access_control"] = readers;
          doc.content = content_of(attachment);
          sink.emit(std::move(doc));
        },
        stop);
  }

  ContentRef content_of(const json& attachment) const {
    ContentRef ref;
    std::string title = attachment.value("title", "");
    std::string link = attachment.value("/_links/download"_json_pointer, "");
    ref.name = fmt::format("attachment '{}' ({})", title, attachment.value("id", ""));
    ref.extension = extraction::file_extension(title);
    ref.size = attachment.value("/extensions/fileSize"_json_pointer, -1LL);
    ref.max_size = kMaxFileSize;
    if (link.empty()) return ref;
    ref.fetch = [api = api_, link, name = ref.name](ContentSink& sink, long long max_bytes,
                                                    std::stop_token stop) {
      api->download(http::Request("GET", link), sink, max_bytes, name, stop);
    };
    return ref;
  }

  bool cloud_;
  std::string site_;                 // what `_links` are relative to
  std::vector<std::string> spaces_;  // empty: every space
  bool dls_toggle_;
  bool dls_feature_ = false;
  std::shared_ptr<Api> api_;          // shared with the downloads
  std::vector<std::string> queries_;  // advanced rules
  std::set<std::string> seen_;
  std::map<std::string, std::vector<std::string>> space_readers_;  // space key → identities
};

}  // namespace

SourceDescriptor confluence_descriptor() {
  return {"confluence", "Confluence", [] { return atlassian::schema(product()); },
          [](const Configuration& c) -> std::unique_ptr<Source> {
            return std::make_unique<ConfluenceSource>(atlassian::settings(product(), c));
          },
          Capabilities{.advanced_rules = true, .incremental = false, .access_control = true}};
}

}  // namespace connectors::sources
