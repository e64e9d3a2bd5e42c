//===- ConvToLinalg.h - Convolution and pooling lowering patterns ---------===//
//
// The patterns lowering conv2d, conv2d_transpose, max_pool2d and avg_pool2d
// to linalg; -convert-loom-to-linalg adds them to its own.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/PatternMatch.h"

namespace loom {
void populateConvToLinalgPatterns(mlir::RewritePatternSet &patterns);
} // namespace loom
