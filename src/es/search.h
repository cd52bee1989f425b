// Readers that page through every hit of a query: ScrollReader (scroll API)
// and SearchAfterReader (search_after on a caller-given total sort). Each
// reader is used by one thread; it borrows the Client, which must outlive it.
#pragma once

#include <string>
#include <vector>

#include "es/client.h"

namespace connectors::es {

class ScrollReader {
 public:
  // `body` is a search body (query, _source, sort...); `size` hits per page.
  // `filter_path` (e.g. "hits.hits._id") trims the answers; _scroll_id is kept.
  ScrollReader(Client& client, std::string index, json body, int size = 1000,
               std::string keep_alive = "2m", std::string filter_path = "");
  ~ScrollReader();  // clears the server-side scroll context
  ScrollReader(const ScrollReader&) = delete;
  ScrollReader& operator=(const ScrollReader&) = delete;

  // Fills `hits` with the next page; false when there are no more hits.
  bool next(std::vector<json>& hits, std::stop_token stop = {});

 private:
  Client& client_;
  std::string index_;
  json body_;
  std::string keep_alive_;
  std::string filter_suffix_;
  std::string scroll_id_;
  bool done_ = false;
};

class SearchAfterReader {
 public:
  // `body` must contain a "sort" that totally orders the hits (e.g. a unique keyword).
  SearchAfterReader(Client& client, std::string index, json body, int size = 1000);

  bool next(std::vector<json>& hits, std::stop_token stop = {});

 private:
  Client& client_;
  std::string index_;
  json body_;
  bool done_ = false;
};

}  // namespace connectors::es
