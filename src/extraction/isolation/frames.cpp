#include "extraction/isolation/frames.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace connectors::extraction::isolation {
namespace {

// Requests name a file: far smaller than this, whatever the path.
constexpr uint32_t kMaxRequestField = 1 << 16;

template <typename Int>
void put(std::string& out, Int value) {
  for (size_t i = 0; i < sizeof(Int); ++i)
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

template <typename Int>
Int get(const char* in) {
  Int value = 0;
  for (size_t i = 0; i < sizeof(Int); ++i) {
    value |= static_cast<Int>(static_cast<unsigned char>(in[i])) << (8 * i);
  }
  return value;
}

// Reads exactly n bytes; false at end of input before the first byte.
bool read_exact(int fd, char* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::read(fd, out + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0)
      throw std::runtime_error(std::string("extractor: read failed: ") + std::strerror(errno));
    if (r == 0) {
      if (got == 0) return false;
      throw std::runtime_error("extractor: request cut short");
    }
    got += static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

std::string encode_request(const Request& request) {
  std::string out = "Q";
  put<uint32_t>(out, static_cast<uint32_t>(request.extension.size()));
  put<uint32_t>(out, static_cast<uint32_t>(request.path.size()));
  return out + request.extension + request.path;
}

std::string encode_reply(const Reply& reply) {
  std::string out(1, reply.ok ? 'T' : 'E');
  put<uint64_t>(out, reply.text.size());
  return out + reply.text;
}

std::optional<Request> read_request(int fd) {
  char header[9];
  if (!read_exact(fd, header, sizeof header)) return std::nullopt;
  if (header[0] != 'Q') throw std::runtime_error("extractor: not a request frame");
  auto ext_size = get<uint32_t>(header + 1);
  auto path_size = get<uint32_t>(header + 5);
  if (ext_size > kMaxRequestField || path_size > kMaxRequestField) {
    throw std::runtime_error("extractor: request too large");
  }
  Request request;
  request.extension.resize(ext_size);
  request.path.resize(path_size);
  if ((ext_size > 0 && !read_exact(fd, request.extension.data(), ext_size)) ||
      (path_size > 0 && !read_exact(fd, request.path.data(), path_size))) {
    throw std::runtime_error("extractor: request cut short");
  }
  return request;
}

bool write_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    done += static_cast<size_t>(w);
  }
  return true;
}

std::pair<bool, uint64_t> decode_reply_header(const char (&header)[9]) {
  if (header[0] != 'T' && header[0] != 'E') throw std::runtime_error("not a reply frame");
  return {header[0] == 'T', get<uint64_t>(header + 1)};
}

}  // namespace connectors::extraction::isolation
