// One libsmbclient context (SMBCCTX) logged on to one SMB server as one user:
// directory listings and chunked file reads by path. libsmbclient is not
// thread-safe within a context, so a connection is used by one thread at a
// time; ConnectionPool lends connections to the engine's download threads.
#pragma once

#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

typedef struct _SMBCCTX SMBCCTX;

namespace connectors::sources::smb {

struct SmbSettings {
  std::string username;
  Secret password;
  std::string server_ip;
  int port = 445;
  int timeout_ms = 60000;  // smbprotocol's connection timeout
};

// "ip:port", as errors name the server.
std::string server_name(const SmbSettings& settings);

struct SmbEntry {
  std::string name;
  bool directory = false;
  unsigned long long file_id = 0;  // the SMB FileId (st_ino)
  unsigned long long size = 0;     // end of file
  timespec created{};              // creation (birth) time
  timespec changed{};              // change time: data or metadata
};

class SmbConnection {
 public:
  explicit SmbConnection(const SmbSettings& settings);
  ~SmbConnection();
  SmbConnection(const SmbConnection&) = delete;
  SmbConnection& operator=(const SmbConnection&) = delete;

  // The entries of the folder at `path` ("Share/dir/sub", '/'-separated,
  // without "." and ".."). Throws SourceError naming the folder and the errno
  // text; with `errno_out`, stores the errno first.
  std::vector<SmbEntry> list(const std::string& path, int* errno_out = nullptr);

  // Streams the file at `path` into `chunk` in 64 KiB reads until the end,
  // until `chunk` returns false, or past max_bytes. Throws SourceError naming the file.
  void read(const std::string& path, const std::function<bool(std::string_view)>& chunk,
            long long max_bytes, std::stop_token stop);

 private:
  std::string url(const std::string& path) const;
  SmbSettings settings_;
  SMBCCTX* ctx_ = nullptr;
};

// Connections for concurrent downloads: each thread borrows an idle one (or a
// new one) and gives it back, so at most concurrent_downloads are open.
class ConnectionPool {
 public:
  explicit ConnectionPool(SmbSettings settings) : settings_(std::move(settings)) {}
  void with_connection(const std::function<void(SmbConnection&)>& use);

 private:
  SmbSettings settings_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<SmbConnection>> idle_;
};

}  // namespace connectors::sources::smb
