//===- GradientUtils.h - Building blocks of the ops' gradient rules -------===//
//
// The pieces every family's GradientOpInterface implementation shares: scalar
// and zero constants, and the one rule that sums a broadcast gradient back
// to an operand's shape. Each op's VJP is written next to its family
// (ElementwiseGradients.cpp, StructuredGradients.cpp, ShapeGradients.cpp);
// only what two families need lives here.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace loom::grad {

/// The value's ranked tensor type.
inline mlir::RankedTensorType typeOf(mlir::Value v) {
  return llvm::cast<mlir::RankedTensorType>(v.getType());
}

/// True for a tensor with floating-point elements, the only kind a gradient
/// flows through (i1 masks and conditions have none).
bool isDifferentiable(mlir::Value v);

/// A rank-0 constant `value` with the element type of `like`; it broadcasts
/// against any shape in the elementwise ops.
mlir::Value scalarLike(mlir::OpBuilder &b, mlir::Location loc, mlir::Value like,
                       double value);

/// A splat zero constant of `type`.
mlir::Value zerosOf(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::RankedTensorType type);

/// The transpose of NumPy broadcasting: sums `grad` (shaped like a broadcast
/// result) over the dimensions that broadcasting added or stretched from
/// size 1, then reshapes to `target`. Every broadcasting op's VJP (the
/// elementwise ops, broadcast_to, matmul's batch dimensions) ends here.
mlir::Value sumToShape(mlir::OpBuilder &b, mlir::Location loc, mlir::Value grad,
                       mlir::RankedTensorType target);

} // namespace loom::grad
