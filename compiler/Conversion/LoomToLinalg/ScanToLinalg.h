//===- ScanToLinalg.h - argmax and cumsum lowering ------------------------===//
//
// The patterns lowering the ops that walk one axis in order (argmax to a
// linalg.generic reduction, cumsum to an scf.for over the axis);
// -convert-loom-to-linalg adds them to its own.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/PatternMatch.h"

namespace loom {
void populateScanToLinalgPatterns(mlir::RewritePatternSet &patterns);
} // namespace loom
