//===- FileUtil.h - Whole-file reads and crash-safe writes ---------------===//
//
// Every file the runtime writes (tensors, later checkpoints) goes through
// writeFileAtomic, so a crash or a full disk never leaves a half-written file
// where a good one used to be: readers see either the old bytes or the new.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Tensor.h"

#include <string>

namespace loom::rt {

/// Reads the whole file. Errors read "cannot open PATH: <strerror>" or
/// "cannot read PATH: <strerror>".
Status readFile(const std::string &path, std::string &out);

/// Writes `bytes` to `PATH.tmp.<pid>` in the same directory, fsyncs it and
/// renames it over `path` (then fsyncs the directory, best effort). On any
/// failure the temporary file is removed and an existing file at `path` is
/// left untouched. Not safe for two threads of one process writing the same
/// path at once (they would share the temporary name).
Status writeFileAtomic(const std::string &path, const std::string &bytes);

/// The extension of the last path component, lower-cased, with its dot
/// (".npy"), or "" when there is none.
std::string fileExtension(const std::string &path);

} // namespace loom::rt
