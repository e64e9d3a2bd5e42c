//===- Normalization.h - The formulas layer_norm and batch_norm share ------===//
//
// Both ops normalize over a set of axes and apply a per-feature affine map;
// their decomposition (-loom-decompose) and their VJPs build the same pieces
// with these functions, so the forward pass the gradient assumes is the one
// that runs (and CSE can share the statistics between them).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/Builders.h"

namespace loom::norm {

/// The statistics of `x` over `axes`, each kept as size 1 so they broadcast
/// against `x`: mean, biased variance, rstd = 1 / sqrt(var + epsilon), and
/// xhat = (x - mean) * rstd.
struct Stats {
  mlir::Value mean, var, rstd, xhat;
};
Stats normalize(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                llvm::ArrayRef<int64_t> axes, double epsilon);

/// d(loss)/dx for xhat = normalize(x) over `axes`, given dxhat:
///   rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)).
mlir::Value normalizeVJP(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value dxhat, const Stats &s,
                         llvm::ArrayRef<int64_t> axes);

/// batch_norm's axes: every dimension except 1.
llvm::SmallVector<int64_t> batchNormAxes(int64_t rank);

/// A per-channel [C] tensor reshaped to [C, 1, ..., 1] (rank - 1 dims), so
/// it broadcasts along dimension 1 of a rank-`rank` operand.
mlir::Value perChannel(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                       int64_t rank);

} // namespace loom::norm
