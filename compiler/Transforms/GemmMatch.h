//===- GemmMatch.h - What -loom-gemm-epilogue-in-place and -loom-gemm-to-call
//                   call a matrix product --------------------------------===//
//
// Both passes must agree on which linalg.generics are matrix products: a
// multiply-accumulate body and one reduction loop.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace loom {

/// `c + a * b` (in either operand order) yielded from the body.
inline bool isMultiplyAccumulate(mlir::linalg::GenericOp g) {
  using namespace mlir;
  Block &body = g.getRegion().front();
  if (body.getNumArguments() != 3 || body.getOperations().size() != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value acc = body.getArgument(2);
  Value other = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  if (add.getLhs() != acc && add.getRhs() != acc)
    return false;
  auto mul = other.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  return (mul.getLhs() == a && mul.getRhs() == b) ||
         (mul.getLhs() == b && mul.getRhs() == a);
}

/// A multiply-accumulate generic on buffers with two inputs, one output and
/// exactly one reduction loop.
inline bool isBufferMatrixProduct(mlir::linalg::GenericOp g) {
  return g.hasPureBufferSemantics() && g.getNumDpsInputs() == 2 &&
         g.getNumDpsInits() == 1 && isMultiplyAccumulate(g) &&
         llvm::count(g.getIteratorTypesArray(),
                     mlir::utils::IteratorType::reduction) == 1;
}

} // namespace loom
