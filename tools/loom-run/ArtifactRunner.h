//===- ArtifactRunner.h - Run a .loom artifact's forward pass on files ----===//
//
// The runtime-only half of `loomc run`: load an artifact (no compiler),
// optionally a checkpoint with its stored preprocessing, read the inputs
// from .npy/.csv files, run @forward, print or write the outputs. Shared by
// `loomc run MODEL.loom` and the standalone `loom-run`, which links only
// the runtime (no LLVM or MLIR): what a machine without the compiler, such
// as a GPU machine, runs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace loom {

struct ArtifactRunArgs {
  std::string program = "loom-run"; // prefixes messages
  std::string artifact;
  std::vector<std::string> inputs;  // NAME=FILE
  std::vector<std::string> outputs; // FILE or NAME=FILE
  std::string checkpoint;
  uint64_t seed = 0;
  bool verbose = false;
};

/// Exit status: 0, or 1 after printing "PROGRAM: error: ..." to stderr.
int runArtifact(const ArtifactRunArgs &args);

} // namespace loom
