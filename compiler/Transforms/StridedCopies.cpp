//===- StridedCopies.cpp - Strided memref.copy as a copy kernel -----------===//
//
// Bufferization leaves memref.copy wherever a tensor is written into part
// of another (insert_slice: a padded interior, the taps of a pooling
// window's gradient) or a view must be materialized. Between two contiguous
// buffers that is a memcpy. Anything else lowers to the runner utilities'
// `memrefCopy`, a generic element loop that recomputes a multi-dimensional
// index per element: 15% of a LeNet training step. This pass rewrites those
// copies into all-parallel linalg.generics (`out = in`), which
// -loom-outline-kernels makes kernels with static strides for LLVM to
// vectorize.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"

namespace loom {
#define GEN_PASS_DEF_LOOMSTRIDEDCOPIES
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

/// A copy that lowers to memcpy: static, contiguous, row-major, or empty.
bool isPlainCopy(memref::CopyOp copy) {
  auto src = dyn_cast<MemRefType>(copy.getSource().getType());
  auto dst = dyn_cast<MemRefType>(copy.getTarget().getType());
  if (!src || !dst || !src.hasStaticShape() || src.getNumElements() == 0)
    return true; // dynamic or unranked: leave it to memrefCopy
  return memref::isStaticShapeAndContiguousRowMajor(src) &&
         memref::isStaticShapeAndContiguousRowMajor(dst);
}

struct LoomStridedCopies
    : loom::impl::LoomStridedCopiesBase<LoomStridedCopies> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (!isPlainCopy(copy))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      OpBuilder b(copy);
      auto type = cast<MemRefType>(copy.getSource().getType());
      unsigned rank = type.getRank();
      AffineMap id = b.getMultiDimIdentityMap(rank);
      linalg::GenericOp::create(
          b, copy.getLoc(), TypeRange{}, ValueRange{copy.getSource()},
          ValueRange{copy.getTarget()}, SmallVector<AffineMap>{id, id},
          SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
          [](OpBuilder &nb, Location loc, ValueRange args) {
            linalg::YieldOp::create(nb, loc, args[0]);
          });
      copy.erase();
    }
  }
};

} // namespace
