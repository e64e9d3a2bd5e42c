//===- OpUtils.h - Small helpers shared by the ops' implementations --------===//
//
// Pieces every op family's type inference and reference evaluation use;
// internal to the dialect's .cpp files.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

namespace loom {

/// Appends an inferred type, or fails if inference failed (the shape rule
/// has already reported why).
inline llvm::LogicalResult
pushType(llvm::FailureOr<mlir::RankedTensorType> t,
         llvm::SmallVectorImpl<mlir::Type> &types) {
  if (llvm::failed(t))
    return llvm::failure();
  types.push_back(*t);
  return llvm::success();
}

/// The shape of `op`'s single (ranked tensor) result.
inline llvm::ArrayRef<int64_t> resultShape(mlir::Operation *op) {
  return llvm::cast<mlir::RankedTensorType>(op->getResult(0).getType())
      .getShape();
}

} // namespace loom
