//===- Samples.h - A grid image of what a generative model draws ----------===//
//
// `loomc train --samples FILE.pgm` shows what a generator has learned: the
// model declares `output("samples", images)`, images it computes from its
// parameters and in-graph noise (loom.random_normal) alone, and after every
// epoch loomc runs that output with the current weights at batch 64 and
// writes the 64 images as an 8x8 grid. The sampler is its own small entry:
// @forward pruned to the one output, so it needs no data and does not
// depend on the training batch size. In @forward the noise is drawn with
// counter 0 (inference mode), so every epoch's grid shows the same noise
// vectors: the grid follows the generator, not the luck of the draw
// (DCGAN's "fixed noise").
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Driver.h"

#include "loom/rt/core/Session.h"

#include <memory>

namespace loomc {

class SampleWriter {
public:
  /// Builds and compiles the sampler of `model`; errors name the model:
  /// no output "samples", a "samples" output that needs an input, or an
  /// image size that is not square (per example H*W with H = W, or
  /// [.., 1, H, W]).
  static llvm::Expected<std::unique_ptr<SampleWriter>>
  create(CompilerContext &cc, const loom::dsl::ModelEntry &model);

  /// Runs the sampler with `weights`' parameters and writes the grid to
  /// `path` atomically (PGM, P5). Values in [0, 1] map to 0..255; a model
  /// whose samples go below 0 is taken to emit [-1, 1] (tanh) and is
  /// shifted first; anything outside is clipped.
  llvm::Error write(const loom::rt::Session &weights, const std::string &path);

  /// The grid image alone: `count` images of h x w row-major floats
  /// already in [0, 1], `cols` per row, 2-pixel grey borders, as PGM bytes.
  static std::string gridPgm(const float *pixels, int64_t count, int64_t h,
                             int64_t w, int64_t cols);

private:
  SampleWriter() = default;
  std::unique_ptr<loom::rt::Session> session_;
  int64_t height_ = 0, width_ = 0;
};

} // namespace loomc
