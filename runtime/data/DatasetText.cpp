//===- DatasetText.cpp - Character windows of text files ------------------===//
//
// A text data set is the bytes of one file, or of a directory's regular
// files in name order, cut into windows of T bytes; the label of each
// position is the next byte. Tokens are bytes, so the model's vocabulary is
// a byte range (128 for ASCII) and no vocabulary file has to travel with a
// checkpoint: sampling decodes a token by writing the byte.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/data/Dataset.h"

#include "loom/rt/core/FileUtil.h"

#include <algorithm>
#include <cstdio>
#include <dirent.h>
#include <sys/stat.h>

namespace loom::rt {

namespace {

/// "PATH:LINE:COLUMN" of byte `offset` in `bytes` (1-based, like compilers).
std::string position(const std::string &path, const std::string &bytes,
                     size_t offset) {
  size_t line = 1 + std::count(bytes.begin(), bytes.begin() + offset, '\n');
  size_t lineStart = bytes.rfind('\n', offset == 0 ? 0 : offset - 1);
  size_t column = offset == 0 || lineStart == std::string::npos
                      ? offset + 1
                      : offset - lineStart;
  return path + ":" + std::to_string(line) + ":" + std::to_string(column);
}

/// The regular files of `dir` (not following symbolic links), sorted.
Status listFiles(const std::string &dir, std::vector<std::string> &files) {
  DIR *d = ::opendir(dir.c_str());
  if (!d)
    return Status::error("cannot open " + dir);
  while (struct dirent *e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..")
      continue;
    std::string full = dir + "/" + name;
    struct stat st;
    if (::lstat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode))
      files.push_back(full);
  }
  ::closedir(d);
  std::sort(files.begin(), files.end());
  if (files.empty())
    return Status::error(dir + " has no regular files");
  return Status::ok();
}

} // namespace

Status loadTextDataset(const std::string &path, const TextDatasetOptions &opts,
                       Dataset &out, std::string *textOut) {
  if (opts.seqLen <= 0)
    return Status::error(path + ": the window length must be positive, got " +
                         std::to_string(opts.seqLen));
  if (opts.stride < 0)
    return Status::error(path + ": the stride must be positive, got " +
                         std::to_string(opts.stride));
  if (opts.vocab < 1 || opts.vocab > 256)
    return Status::error(path + ": a byte vocabulary has 1 to 256 tokens, "
                                "got " +
                         std::to_string(opts.vocab));
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return Status::error("cannot open " + path + ": no such file or directory");
  std::vector<std::string> files;
  if (S_ISDIR(st.st_mode)) {
    if (Status s = listFiles(path, files); !s)
      return s;
  } else {
    files.push_back(path);
  }

  std::string text;
  for (const std::string &file : files) {
    std::string bytes;
    if (Status s = readFile(file, bytes); !s)
      return s;
    for (size_t i = 0; i < bytes.size(); ++i) {
      auto b = static_cast<unsigned char>(bytes[i]);
      if (b < opts.vocab)
        continue;
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", b);
      return Status::error(position(file, bytes, i) + ": byte " + hex +
                           " is outside the model's vocabulary of " +
                           std::to_string(opts.vocab) + " tokens (bytes 0-" +
                           std::to_string(opts.vocab - 1) + ")");
    }
    text += bytes;
  }

  const int64_t T = opts.seqLen;
  const int64_t stride = opts.stride ? opts.stride : T;
  const int64_t n = int64_t(text.size());
  if (n < T + 1)
    return Status::error(path + ": " + std::to_string(n) +
                         " bytes of text are fewer than one window of " +
                         std::to_string(T + 1) + " (the window length + 1)");
  const int64_t windows = (n - (T + 1)) / stride + 1;
  HostTensor features(TensorType{DType::F32, {windows, T}});
  HostTensor labels(TensorType{DType::F32, {windows, T}});
  float *x = features.as<float>(), *y = labels.as<float>();
  for (int64_t w = 0; w < windows; ++w)
    for (int64_t t = 0; t < T; ++t) {
      x[w * T + t] = float(static_cast<unsigned char>(text[w * stride + t]));
      y[w * T + t] = float(static_cast<unsigned char>(text[w * stride + t + 1]));
    }
  out.features = std::move(features);
  out.labels = std::move(labels);
  out.featureNames.clear();
  if (textOut)
    *textOut = std::move(text);
  return Status::ok();
}

} // namespace loom::rt
