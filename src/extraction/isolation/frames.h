// The wire between the service and an extractor worker (connectors-extractor):
// one request at a time on the worker's stdin, one reply on its stdout, each a
// small fixed header and its bytes, so that any text (NULs, newlines, 100 MB)
// goes through unchanged.
//   request: 'Q', u32 extension length, u32 path length, extension, path
//   reply:   'T' (text) or 'E' (error reason), u64 length, bytes
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace connectors::extraction::isolation {

struct Request {
  std::string extension;  // with the dot, any case
  std::string path;
};

struct Reply {
  bool ok = false;
  std::string text;  // the text when ok, else the reason
};

std::string encode_request(const Request& request);
std::string encode_reply(const Reply& reply);

// Blocking reads of one frame from `fd` (the worker's side). nullopt at a
// clean end of input before the frame; throws std::runtime_error on a torn or
// malformed frame.
std::optional<Request> read_request(int fd);

// Writes every byte to `fd`, retrying on EINTR and short writes; false on an
// error (the other side is gone).
bool write_all(int fd, const std::string& bytes);

// Decodes a reply header (9 bytes): its kind and the length that follows.
// Throws std::runtime_error on a bad kind.
std::pair<bool, uint64_t> decode_reply_header(const char (&header)[9]);

}  // namespace connectors::extraction::isolation
