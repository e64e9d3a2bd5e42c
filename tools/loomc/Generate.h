//===- Generate.h - Text from a character model -----------------------------===//
//
// See Generate.cpp: a character model's forward pass compiled for batch 1
// and sampled one byte at a time over a sliding window of T bytes.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Driver.h"

#include "loom/rt/core/Session.h"

#include <memory>

namespace loomc {

class TextGenerator {
public:
  /// Compiles `model`'s forward pass for one window; errors when the model
  /// is not a character model (one [batch, T] input, a softmax
  /// cross-entropy over at most 256 byte tokens).
  static llvm::Expected<std::unique_ptr<TextGenerator>>
  create(CompilerContext &cc, const loom::dsl::ModelEntry &model,
         uint64_t seed);

  /// The weights: a trained session's parameters, or a checkpoint's.
  llvm::Error copyWeights(const loom::rt::Session &from);
  llvm::Error loadWeights(const std::string &checkpoint);

  /// `length` bytes continuing `prompt` (not included in the result),
  /// drawn from the model's distribution raised to 1/temperature.
  llvm::Expected<std::string> generate(const std::string &prompt,
                                       int64_t length, double temperature);

  int64_t window() const { return window_; }

private:
  TextGenerator() = default;
  std::unique_ptr<loom::rt::Session> session_;
  std::string modelName_, input_, output_;
  int64_t window_ = 0, vocab_ = 0;
  uint64_t seed_ = 0;
};

struct GenerateArgs {
  ModelArgs model;
  std::string checkpoint;
  std::string prompt;
  int64_t length = 400;
  double temperature = 1.0;
  uint64_t seed = 0;
};
int runGenerate(const GenerateArgs &args);

} // namespace loomc
