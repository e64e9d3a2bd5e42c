//===- IndexingToLinalg.h - Gather, scatter_add, one_hot lowering ---------===//
//
// The patterns lowering the indexing family to linalg, with the run-time
// index check; -convert-loom-to-linalg adds them to its own.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/PatternMatch.h"

namespace loom {
void populateIndexingToLinalgPatterns(mlir::RewritePatternSet &patterns);
} // namespace loom
