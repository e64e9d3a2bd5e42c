//===- FileUtil.cpp - Whole-file reads and crash-safe writes --------------===//
//
// POSIX file handling for the runtime: reading a file into memory and the
// write-temp-fsync-rename dance that makes writes atomic. Every failure path
// reports the path and errno's text, and removes what it created.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/FileUtil.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace loom::rt {

static std::string errnoText(int err) { return std::strerror(err); }

Status readFile(const std::string &path, std::string &out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::error("cannot open " + path + ": " + errnoText(errno));
  std::string data;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Status::error("cannot read " + path + ": " + errnoText(err));
    }
    if (n == 0)
      break;
    data.append(buf, size_t(n));
  }
  ::close(fd);
  out = std::move(data);
  return Status::ok();
}

static bool writeAll(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    p += w;
    n -= size_t(w);
  }
  return true;
}

/// Makes the rename itself durable. Failure here is not reported: the new
/// file is already in place, and some file systems refuse fsync on a
/// directory.
static void syncParentDir(const std::string &path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "."
                    : slash == 0               ? "/"
                                               : path.substr(0, slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Status writeFileAtomic(const std::string &path, const std::string &bytes) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0)
    return Status::error("cannot write " + path + ": cannot create " + tmp +
                         ": " + errnoText(errno));
  auto fail = [&](const char *what, int err) {
    if (fd >= 0)
      ::close(fd);
    ::unlink(tmp.c_str());
    return Status::error("cannot write " + path + ": " + what + ": " +
                         errnoText(err));
  };
  if (!writeAll(fd, bytes.data(), bytes.size()))
    return fail("write failed", errno ? errno : EIO);
  if (::fsync(fd) != 0)
    return fail("fsync failed", errno);
  int rc = ::close(fd);
  fd = -1;
  if (rc != 0)
    return fail("close failed", errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    return fail("rename failed", errno);
  syncParentDir(path);
  return Status::ok();
}

std::string fileExtension(const std::string &path) {
  size_t slash = path.rfind('/');
  size_t start = slash == std::string::npos ? 0 : slash + 1;
  size_t dot = path.rfind('.');
  if (dot == std::string::npos || dot <= start)
    return "";
  std::string ext = path.substr(dot);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return ext;
}

} // namespace loom::rt
