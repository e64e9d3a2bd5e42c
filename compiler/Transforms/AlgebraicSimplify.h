//===- AlgebraicSimplify.h - Stable forms of unstable compositions --------===//
//
// The rewrites of -loom-algebraic-simplify (see Passes.td), for passes and
// functions that apply them to part of a module.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/PatternMatch.h"

namespace loom {

void populateAlgebraicSimplifyPatterns(mlir::RewritePatternSet &patterns);

/// Applies those patterns to `op` and its regions (also erasing ops they
/// leave dead; no folding).
llvm::LogicalResult simplifyAlgebra(mlir::Operation *op);

} // namespace loom
