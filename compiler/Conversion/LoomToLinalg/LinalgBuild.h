//===- LinalgBuild.h - Small builders the loom-to-linalg lowerings share ---===//
#pragma once

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace loom::linalg_build {

inline mlir::RankedTensorType tensorTypeOf(mlir::Value v) {
  return mlir::cast<mlir::RankedTensorType>(v.getType());
}

/// A new tensor of `shape` and element type `et`, every element `value`.
inline mlir::Value filled(mlir::OpBuilder &b, mlir::Location loc,
                          llvm::ArrayRef<int64_t> shape, mlir::Type et,
                          double value) {
  mlir::Value scalar =
      mlir::arith::ConstantOp::create(b, loc, b.getFloatAttr(et, value));
  mlir::Value empty = mlir::tensor::EmptyOp::create(b, loc, shape, et);
  return mlir::linalg::FillOp::create(b, loc, mlir::ValueRange{scalar},
                                      mlir::ValueRange{empty})
      .getResult(0);
}

} // namespace loom::linalg_build
