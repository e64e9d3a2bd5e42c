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
// inserts a copy, so the rewrite never changes results. Likewise when the
// new state is a product accumulated into a zero fill of a tensor.empty
// (the backward loop's dh): the fill then writes the iter_arg. Runs after
// -loom-fill-per-use, so each fill has one user.
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

/// The other form a new state takes: a product (a backward step's
/// dh = dgates * W_hh) accumulated into a linalg.fill of a tensor.empty.
/// The fill overwrites all of it, so the fill can write the iter_arg
/// instead: the old state is then read (earlier in the step) before it is
/// zeroed, which one-shot bufferization sees and allows in place.
bool fillStateInPlace(scf::ForOp loop, OpResult result, BlockArgument state) {
  auto op = dyn_cast<linalg::LinalgOp>(result.getOwner());
  if (!op || op->getBlock() != loop.getBody() ||
      result.getResultNumber() >= op.getNumDpsInits())
    return false;
  OpOperand *init = op.getDpsInitOperand(result.getResultNumber());
  auto fill = init->get().getDefiningOp<linalg::FillOp>();
  if (!fill || !fill->hasOneUse() || fill->getBlock() != loop.getBody() ||
      fill.getOutputs()[0].getType() != state.getType())
    return false;
  auto empty = fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>();
  if (!empty)
    return false;
  fill.getOutputsMutable()[0].set(state);
  if (empty->use_empty()) // CSE may have shared it with other inits
    empty->erase();
  return true;
}

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
        if (fillStateInPlace(loop, result, state))
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
