//===- ConvAlgorithm.h - Direct or im2col, per convolution shape ----------===//
//
// A stride-1, ungrouped conv2d can be lowered two ways (ConvToLinalg.cpp):
// im2col plus a matrix product (the runtime's GEMM), or a direct
// convolution (linalg.conv_2d_nchw_fchw, which -loom-conv-to-call hands to
// loom_rt_conv2d_f32). Neither wins everywhere: direct skips the column
// matrix but works one output row at a time, so it loses when rows are
// short (LeNet's 10x10 second layer, a weight gradient's 3x3 "output").
// So by default the compiler times both on this machine for each shape it
// meets (loom::rt::timeConv, once per shape and process) and takes the
// faster. For conv2d and its filter gradient the two sum in the same
// order, so the choice does not change results (bit-identical,
// test/unit/runtime/ConvTest.cpp); a direct conv2d_transpose (an input
// gradient) sums the channels and taps as one chain where col2im adds
// per-tap sums, so it differs in rounding only
// (test/train/conv-algorithms-agree.test).
//
// The policy: the pass option `conv-algorithm` of -convert-loom-to-linalg,
// else the environment variable LOOM_CONV_ALGORITHM, else `measure`.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace loom {

/// Static: direct for every candidate shape (output rows of at least one
/// micro-kernel tile; for filter gradients, rows of G as wide), without
/// measuring: what `loomc build` uses, so an
/// artifact does not depend on the build machine's timings (and the same
/// model builds to the same bytes).
enum class ConvAlgorithm { Measure, Im2col, Direct, Static };

/// "measure", "im2col", "direct" or "static"; "" means the environment's
/// choice (LOOM_CONV_ALGORITHM), else measure. nullopt for anything else.
std::optional<ConvAlgorithm> parseConvAlgorithm(llvm::StringRef name);

/// Whether the stride-1, ungrouped convolution of N images of C channels,
/// F filters of KH x KW with dilation (dH, dW) and an OH x OW output should
/// be lowered directly under `policy`.
bool preferDirectConv(ConvAlgorithm policy, int64_t N, int64_t C, int64_t F,
                      int64_t KH, int64_t KW, int64_t OH, int64_t OW,
                      int64_t dH, int64_t dW);

/// The same for the filter gradient of a convolution with stride (sH, sW)
/// and dilation (dH, dW): N images of C channels, F filters of KH x KW, an
/// OH x OW output gradient. Only F > 1 and KH*KW > 1 are candidates (the
/// GEMM otherwise takes its matrix-vector path, which sums in another
/// order).
bool preferDirectFilterGrad(ConvAlgorithm policy, int64_t N, int64_t C,
                            int64_t F, int64_t KH, int64_t KW, int64_t OH,
                            int64_t OW, int64_t sH, int64_t sW, int64_t dH,
                            int64_t dW);

} // namespace loom
