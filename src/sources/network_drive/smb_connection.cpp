#include "sources/network_drive/smb_connection.h"

#include <fcntl.h>
#include <libsmbclient.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "core/errors.h"

#if defined(__SANITIZE_ADDRESS__)
// Samba 4.17's smbc_new_context leaks its log file's name (reopen_logs →
// debug_set_logfile, 116 bytes per context): Samba's, not ours. With fast
// unwinding the stack ends in libtalloc (no frame pointers), hence both names;
// only libsmbclient allocates with talloc here. The only LeakSanitizer
// suppression of the project; a program linking this source under ASan takes it.
extern "C" __attribute__((used)) const char* __lsan_default_suppressions() {
  return "leak:debug_set_logfile\nleak:libtalloc.so\n";
}
#endif

namespace connectors::sources::smb {
namespace {

constexpr size_t kReadChunk = 64 << 10;  // the framework's MAX_CHUNK_SIZE

// Debian's libsmbclient 4.17 keeps its talloc stack frames process-wide
// (smbc_thread_posix is not exported): two calls overlapping on two threads
// free each other's frames and abort ("Bad talloc magic value"), even on
// separate contexts. So every libsmbclient call holds this mutex: calls never
// overlap, while downloads still interleave between their 64 KiB reads.
std::mutex& library_mutex() {
  static std::mutex mutex;
  return mutex;
}

// The credentials of the connection whose context asks (its user data).
void auth(SMBCCTX* ctx, const char*, const char*, char* workgroup, int workgroup_len, char* user,
          int user_len, char* password, int password_len) {
  const auto* settings = static_cast<const SmbSettings*>(smbc_getOptionUserData(ctx));
  std::snprintf(workgroup, static_cast<size_t>(workgroup_len), "%s", "WORKGROUP");
  std::snprintf(user, static_cast<size_t>(user_len), "%s", settings->username.c_str());
  std::snprintf(password, static_cast<size_t>(password_len), "%s",
                settings->password.reveal().c_str());
}

// libsmbclient decodes %XX in URLs and reads options after '?'.
std::string url_escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '%')
      out += "%25";
    else if (c == '?')
      out += "%3F";
    else
      out += c;
  }
  return out;
}

// What errno says, with a hint for the failures of a log-on.
std::string reason(int err, const SmbSettings& s) {
  std::string text = std::strerror(err);
  if (err == EACCES || err == EPERM) {
    text += " (user '" + s.username + "': wrong username or password, or no access)";
  } else if (err == ECONNREFUSED || err == ETIMEDOUT || err == EHOSTUNREACH || err == ENETUNREACH) {
    text += " (cannot reach the SMB server " + server_name(s) + ")";
  }
  return text;
}

}  // namespace

std::string server_name(const SmbSettings& settings) {
  return settings.server_ip + ":" + std::to_string(settings.port);
}

SmbConnection::SmbConnection(const SmbSettings& settings) : settings_(settings) {
  std::lock_guard lock(library_mutex());
  ctx_ = smbc_new_context();
  if (ctx_ == nullptr) throw SourceError("network_drive: cannot create an SMB client context");
  smbc_setDebug(ctx_, 0);
  smbc_setOptionUserData(ctx_, &settings_);
  smbc_setFunctionAuthDataWithContext(ctx_, auth);
  smbc_setPort(ctx_,
               static_cast<uint16_t>(settings_.port));  // for every call (framework bug #2124)
  smbc_setTimeout(ctx_, settings_.timeout_ms);
  smbc_setOptionUseKerberos(ctx_, false);
  smbc_setOptionFallbackAfterKerberos(ctx_, true);
  smbc_setOptionNoAutoAnonymousLogin(ctx_, true);  // a wrong password must not log on as guest
  if (smbc_init_context(ctx_) == nullptr) {
    int err = errno;
    smbc_free_context(ctx_, 1);
    throw SourceError(std::string("network_drive: cannot initialise the SMB client: ") +
                      std::strerror(err));
  }
}

SmbConnection::~SmbConnection() {
  std::lock_guard lock(library_mutex());
  smbc_free_context(ctx_, 1);
}

std::string SmbConnection::url(const std::string& path) const {
  return "smb://" + settings_.server_ip + "/" + url_escape(path);
}

std::vector<SmbEntry> SmbConnection::list(const std::string& path, int* errno_out) {
  auto fail = [&](const char* what) {
    int err = errno;
    if (errno_out != nullptr) *errno_out = err;
    throw SourceError("network_drive: cannot " + std::string(what) + " folder '" + path + "' on " +
                      server_name(settings_) + ": " + reason(err, settings_));
  };
  std::unique_lock lock(library_mutex());
  SMBCFILE* dir = smbc_getFunctionOpendir(ctx_)(ctx_, url(path).c_str());
  if (dir == nullptr) fail("open");
  std::vector<SmbEntry> entries;
  auto readdir = smbc_getFunctionReaddirPlus2(ctx_);
  for (;;) {
    struct stat st {};
    errno = 0;
    const libsmb_file_info* info = readdir(ctx_, dir, &st);
    if (info == nullptr) {
      if (errno != 0) {
        int err = errno;
        smbc_getFunctionClosedir(ctx_)(ctx_, dir);
        errno = err;
        fail("read");
      }
      break;
    }
    std::string name = info->name;
    if (name == "." || name == "..") continue;
    SmbEntry entry;
    entry.name = std::move(name);
    entry.directory = S_ISDIR(st.st_mode);
    entry.file_id = static_cast<unsigned long long>(st.st_ino);
    entry.size = info->size;
    entry.created = info->btime_ts;
    entry.changed = info->ctime_ts;
    entries.push_back(std::move(entry));
  }
  smbc_getFunctionClosedir(ctx_)(ctx_, dir);
  return entries;
}

void SmbConnection::read(const std::string& path,
                         const std::function<bool(std::string_view)>& chunk, long long max_bytes,
                         std::stop_token stop) {
  auto fail = [&](const char* what) {
    throw SourceError("network_drive: cannot " + std::string(what) + " file '" + path + "' on " +
                      server_name(settings_) + ": " + reason(errno, settings_));
  };
  std::unique_lock lock(library_mutex());
  SMBCFILE* file = smbc_getFunctionOpen(ctx_)(ctx_, url(path).c_str(), O_RDONLY, 0);
  if (file == nullptr) fail("open");
  lock.unlock();
  auto close = [&] {
    std::lock_guard close_lock(library_mutex());
    smbc_getFunctionClose(ctx_)(ctx_, file);
  };
  std::string buffer(kReadChunk, '\0');
  long long total = 0;
  while (total <= max_bytes) {
    if (stop.stop_requested()) {
      close();
      throw Cancelled();
    }
    lock.lock();
    ssize_t n = smbc_getFunctionRead(ctx_)(ctx_, file, buffer.data(), buffer.size());
    int err = errno;
    lock.unlock();
    if (n < 0) {
      close();
      errno = err;
      fail("read");
    }
    if (n == 0) break;
    total += n;
    if (!chunk(std::string_view(buffer.data(), static_cast<size_t>(n)))) break;
  }
  close();
}

void ConnectionPool::with_connection(const std::function<void(SmbConnection&)>& use) {
  std::unique_ptr<SmbConnection> connection;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!connection) connection = std::make_unique<SmbConnection>(settings_);
  use(*connection);  // a connection that failed is dropped, not reused
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
}

}  // namespace connectors::sources::smb
