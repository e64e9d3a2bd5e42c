//===- LoopStateInPlace.cpp - A loop's new state written over the old ----===//
//
// A recurrent layer is an scf.for whose iter_args carry its state (h, c,
// and in the backward loop dh, dc). The new state is computed by a fused
// pointwise generic into a fresh tensor.empty, so after bufferization each
// time step allocates the next state's buffer, yields it, and frees the
// previous one: two mallocs and frees per step and direction, which the
// workspace planner cannot take (the buffer crosses iterations).
//
// This pass, run on tensors just before bufferization, lets such a generic
// write the new state over the old: when the value yielded for an iter_arg
// is a result of an all-parallel linalg.generic whose init for that result
// is a tensor.empty the body never reads, the init becomes the iter_arg.
// One-shot bufferization then writes the state in place in one buffer for
// the whole loop (reading the old value and writing the new one element by
// element in the same loop nest is safe); where it finds a conflict it
// inserts a copy, so the rewrite never changes results.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace loom {
#define GEN_PASS_DEF_LOOMLOOPSTATEINPLACE
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

struct LoomLoopStateInPlace
    : loom::impl::LoomLoopStateInPlaceBase<LoomLoopStateInPlace> {
  void runOnOperation() override {
    getOperation().walk([](scf::ForOp loop) {
      auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
      for (auto [i, yielded] : llvm::enumerate(yield.getOperands())) {
        BlockArgument state = loop.getRegionIterArg(i);
        auto result = dyn_cast<OpResult>(yielded);
        if (!result || state.getType() != yielded.getType())
          continue;
        auto generic = dyn_cast<linalg::GenericOp>(result.getOwner());
        if (!generic || generic->getBlock() != loop.getBody() ||
            generic.getNumLoops() != generic.getNumParallelLoops())
          continue;
        OpOperand *init = generic.getDpsInitOperand(result.getResultNumber());
        if (!init->get().getDefiningOp<tensor::EmptyOp>() ||
            generic.payloadUsesValueFromOperand(init) ||
            !generic.getMatchingIndexingMap(init).isIdentity())
          continue;
        init->set(state);
      }
    });
  }
};

} // namespace
