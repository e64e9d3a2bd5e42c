//===- Autodiff.h - Reverse-mode differentiation of loom graphs -----------===//
//
// The engine behind -loom-autodiff, also used directly by builders that
// want a loss's gradients inside a function they are constructing (a
// training step). It chains the ops' local rules (GradientOpInterface) in
// one reverse sweep; it knows no op by name.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"

namespace loom {

/// Appends the reverse sweep of `loss` at `b`'s insertion point and returns
/// d(loss)/d(w) for each `w` in `wrt`, in order, each of `w`'s type.
///
/// - `loss` must be a rank-0 f32 tensor computed in the insertion block
///   (by ops before the insertion point) or one of its arguments; `wrt` are
///   float tensors of that block (usually its arguments).
/// - The sweep seeds d(loss)/d(loss) = 1 and visits the block's ops in
///   reverse order, calling each op's buildVJP. Only ops on a path from a
///   `wrt` value to the loss are visited: ops that do not lead to the loss,
///   or that depend on no `wrt` value (frozen parameters, labels), cost
///   nothing. Fan-out is accumulated with loom.add.
/// - A `w` the loss does not depend on gets a zeros constant.
/// - Gradient ops get the location of the op they differentiate (the
///   user's model line). Ops built but not needed (a rule's gradient for an
///   operand nobody asked about) are erased before returning, unless `b`
///   has a listener, which would not be told of the erasure.
///
/// Errors are diagnostics, never aborts: a loss that is not a rank-0 f32
/// tensor or not computed in the block (at `loc`), a `wrt` value that is
/// not a float tensor, or an op on the path without a gradient rule (at the
/// op's location, naming it). On failure the IR is as before the call
/// (again unless `b` has a listener: then the partial sweep stays, unused).
llvm::FailureOr<llvm::SmallVector<mlir::Value>>
buildGradients(mlir::OpBuilder &b, mlir::Location loc, mlir::Value loss,
               llvm::ArrayRef<mlir::Value> wrt);

} // namespace loom
