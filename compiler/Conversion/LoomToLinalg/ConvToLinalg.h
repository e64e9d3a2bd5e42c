//===- ConvToLinalg.h - Convolution and pooling lowering patterns ---------===//
//
// The patterns lowering conv2d, conv2d_transpose, max_pool2d and avg_pool2d
// to linalg; -convert-loom-to-linalg adds them to its own.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Conversion/LoomToLinalg/ConvAlgorithm.h"
#include "mlir/IR/PatternMatch.h"

namespace loom {
/// `conv2d`: how stride-1 ungrouped conv2d and conv2d_transpose are lowered
/// (ConvAlgorithm.h).
void populateConvToLinalgPatterns(mlir::RewritePatternSet &patterns,
                                  ConvAlgorithm conv2d);
} // namespace loom
