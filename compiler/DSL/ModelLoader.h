//===- ModelLoader.h - Building and loading model files ---------------------===//
//
// A model file is compiled by the host C++ compiler into a shared object
// that registers its models when loaded. The object is cached by a hash of
// the file's content, the DSL header and the compile command, so an
// unchanged model is not rebuilt.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "DSL/ModelBuilder.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace loom::dsl {

struct LoadOptions {
  bool verbose = false; // print the compile command and cache hits
};

/// Builds (or reuses from the cache) and loads `path`; returns the models it
/// defines. The host compiler's diagnostics go to stderr unchanged, so they
/// name the user's file and line.
llvm::Expected<std::vector<ModelEntry>>
loadModelFile(const std::string &path, const LoadOptions &options = {});

/// Picks `name` from `models`, or the only model when `name` is empty; the
/// error lists the names that exist.
llvm::Expected<ModelEntry> selectModel(const std::vector<ModelEntry> &models,
                                       const std::string &name,
                                       const std::string &path);

/// Where built models are cached: $LOOM_CACHE_DIR, else
/// $XDG_CACHE_HOME/loom, else ~/.cache/loom.
std::string cacheDirectory();

} // namespace loom::dsl
