//===- TestUtil.h - Temporary directories and file helpers for tests -----===//
//
// Runtime tests write real files; each test gets its own directory under
// $TMPDIR (removed afterwards) so tests can run in parallel under ctest.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace loom::rt::test {

class TempDir {
public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "loomrt-test-XXXXXX")
            .string();
    if (!::mkdtemp(tmpl.data()))
      std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  std::string file(const std::string &name) const {
    return (path_ / name).string();
  }
  const std::filesystem::path &path() const { return path_; }

  /// Names of everything in the directory, sorted.
  std::string listing() const {
    std::vector<std::string> names;
    for (const auto &e : std::filesystem::directory_iterator(path_))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    std::string s;
    for (const auto &n : names)
      s += (s.empty() ? "" : " ") + n;
    return s;
  }

private:
  std::filesystem::path path_;
};

inline void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
}

inline std::string readBytes(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

} // namespace loom::rt::test
