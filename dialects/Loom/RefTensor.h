//===- RefTensor.h - Host values of the reference evaluator ---------------===//
//
// The reference evaluator computes in double on plain row-major host arrays,
// whatever the element type (i1 as 0.0 / 1.0). Kept deliberately simple: it
// is the oracle, so it must be obviously right rather than fast.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <vector>

namespace loom {

struct RefTensor {
  llvm::SmallVector<int64_t, 4> shape;
  std::vector<double> data;

  RefTensor() = default;
  explicit RefTensor(llvm::ArrayRef<int64_t> s);
  int64_t numElements() const { return int64_t(data.size()); }
  int64_t rank() const { return int64_t(shape.size()); }
};

/// Row-major strides of `shape`.
llvm::SmallVector<int64_t, 4> rowMajorStrides(llvm::ArrayRef<int64_t> shape);
/// Product of the dimensions (1 for rank 0).
int64_t productOf(llvm::ArrayRef<int64_t> shape);
/// Splits a linear row-major index into per-dimension indices.
void unflattenIndex(int64_t linear, llvm::ArrayRef<int64_t> shape,
                    llvm::SmallVectorImpl<int64_t> &index);
/// The linear index into an operand of shape `operandShape` (right-aligned,
/// size-1 dims broadcast) of the result element at `resultIndex`.
int64_t broadcastSourceIndex(llvm::ArrayRef<int64_t> resultIndex,
                             llvm::ArrayRef<int64_t> operandShape);

} // namespace loom
