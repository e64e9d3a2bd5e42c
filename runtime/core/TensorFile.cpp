//===- TensorFile.cpp - Pick a tensor file format from the extension -----===//
//
// The one place that maps a file name to a format, so tools and apps accept
// the same extensions and print the same error for an unknown one.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/FileUtil.h"
#include "loom/rt/core/Io.h"

namespace loom::rt {

static Status unknownExtension(const std::string &path) {
  std::string ext = fileExtension(path);
  return Status::error(path + ": unsupported tensor file extension '" + ext +
                       "' (supported: .npy, .csv)");
}

Status readTensorFile(const std::string &path, HostTensor &out) {
  std::string ext = fileExtension(path);
  if (ext == ".npy")
    return readNpy(path, out);
  if (ext == ".csv")
    return readCsv(path, out);
  return unknownExtension(path);
}

Status writeTensorFile(const std::string &path, const HostTensor &tensor) {
  std::string ext = fileExtension(path);
  if (ext == ".npy")
    return writeNpy(path, tensor);
  if (ext == ".csv")
    return writeCsv(path, tensor);
  return unknownExtension(path);
}

} // namespace loom::rt
