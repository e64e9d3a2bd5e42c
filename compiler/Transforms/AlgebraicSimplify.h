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

/// Applies those patterns (and nothing else) to `op` and its regions.
llvm::LogicalResult simplifyAlgebra(mlir::Operation *op);

} // namespace loom
