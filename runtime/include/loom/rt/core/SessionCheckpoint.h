//===- SessionCheckpoint.h - A session's state to and from safetensors ----===//
//
// The one rule for checkpoints of a session, shared by loomc, the C API and
// loom-run: parameters under their own names ("fc.weight"), optimizer state
// under "optim.<state>" ("optim.fc.weight.m"), metadata "loom.model" and
// "loom.step" plus whatever the caller adds. Loading checks every name,
// dtype and shape before changing anything, so on failure the session is
// unchanged. Thread-compatible, like the session.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Session.h"

#include <map>
#include <string>

namespace loom::rt {

constexpr const char *kOptimizerStatePrefix = "optim.";

enum class OptimizerStateLoad {
  Ignore,    // weights only; the file's optimizer state is skipped
  IfPresent, // state and step too when the file holds every state
  Required,  // state and step must be there (resuming training)
};

/// `modelName` labels mismatch messages (default: the executable's name);
/// `metadata`, when non-null, receives the file's metadata.
Status loadSessionCheckpoint(Session &session, const std::string &path,
                             OptimizerStateLoad state,
                             std::map<std::string, std::string> *metadata = nullptr,
                             const std::string &modelName = "");

/// Parameters, optimizer state and step, atomically; `metadata` is added
/// to "loom.model" and "loom.step".
Status saveSessionCheckpoint(const Session &session, const std::string &path,
                             std::map<std::string, std::string> metadata = {});

} // namespace loom::rt
