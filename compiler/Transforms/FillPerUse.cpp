//===- FillPerUse.cpp - One constant-filled tensor per use ----------------===//
//
// CSE merges identical `linalg.fill` ops: every matrix product, convolution
// and reduction of one shape starts from the same zero tensor. Each of them
// then writes its result into that tensor, which one-shot bufferization
// can only allow by keeping the filled buffer alive and copying it for
// every user: a ResNet training step copied an 18.9 MB zero buffer five
// times (the column buffers of its input gradients), and kept it for the
// whole step. Run just before bufferization, this pass gives each use of a
// shared fill of a tensor.empty its own fill (and empty), placed right
// before the user (the shared one is erased), so each user's buffer is filled in place: a memset instead of a
// memcpy, and no buffer shared across the step.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace loom {
#define GEN_PASS_DEF_LOOMFILLPERUSE
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

struct LoomFillPerUse : loom::impl::LoomFillPerUseBase<LoomFillPerUse> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> fills;
    getOperation().walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics() && !fill->getResult(0).hasOneUse() &&
          fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
        fills.push_back(fill);
    });
    for (linalg::FillOp fill : fills) {
      auto empty = fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>();
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : fill->getResult(0).getUses())
        uses.push_back(&use);
      for (OpOperand *use : uses) {
        OpBuilder b(use->getOwner());
        IRMapping map;
        b.clone(*empty.getOperation(), map);
        use->set(b.clone(*fill.getOperation(), map)->getResult(0));
      }
      fill.erase();
      if (empty->use_empty())
        empty.erase();
    }
  }
};

} // namespace
