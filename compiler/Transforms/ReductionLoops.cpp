//===- ReductionLoops.cpp - Reductions lowered with register accumulators ---===//
//
// convert-linalg-to-loops lowers `out[c] += in[n, c, hw]` (batch norm's
// statistics, a softmax's row sum, a pooling's window) to loops whose body
// loads out[c], adds one element and stores out[c] again, for every element.
// LLVM cannot keep out[c] in a register across the innermost loop because
// it cannot prove that `out` and `in` do not overlap, so each add waits for
// the previous store to be forwarded: a scalar chain of about 5 cycles per
// element. In the ResNet training step those loops were half of the time.
//
// This pass lowers a linalg.generic on buffers whose innermost loop
// dimensions are reductions itself: the dimensions before that trailing run
// become loops as usual; the outputs that do not depend on the trailing
// dimensions (the reduced ones) are loaded once, carried through the
// trailing loops as iter_args and stored once at the end. Outputs indexed by
// the trailing dimensions too (a fused elementwise result written at every
// point) are stored at every point, as before.
//
// The op that combines a carried value with the next element (addf, mulf,
// maximumf, ...) is marked `reassoc`, which lets LLVM vectorize the
// innermost loop into several vector accumulators summed at the end. This
// changes the order of the additions within one trailing run (each run of
// e.g. 1024 elements is summed in 8-lane partial sums, then combined), not
// which elements are summed; results stay deterministic.
//
// Left to convert-linalg-to-loops: ops whose innermost dimension is
// parallel (`out[j] += in[i, j]` vectorizes along j already), ops on
// tensors, and ops where a carried output is also read as an input.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace loom {
#define GEN_PASS_DEF_LOOMREDUCTIONLOOPS
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

/// Indices of `map` applied to the loop induction variables `ivs`.
SmallVector<Value> applyMap(OpBuilder &b, Location loc, AffineMap map,
                            ValueRange ivs) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      indices.push_back(ivs[dim.getPosition()]);
      continue;
    }
    if (auto cst = dyn_cast<AffineConstantExpr>(expr)) {
      indices.push_back(arith::ConstantIndexOp::create(b, loc, cst.getValue()));
      continue;
    }
    AffineMap single = AffineMap::get(map.getNumDims(), 0, expr);
    indices.push_back(affine::AffineApplyOp::create(b, loc, single, ivs));
  }
  return indices;
}

/// Whether `value` (yielded for a carried output whose block argument is
/// `acc`) combines `acc` with something else in one op that may be
/// reassociated; if so returns that op.
Operation *combiningOp(Value value, BlockArgument acc) {
  Operation *def = value.getDefiningOp();
  if (!def || !isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp,
                   arith::MinimumFOp, arith::MaxNumFOp, arith::MinNumFOp>(def))
    return nullptr;
  if (def->getOperand(0) != acc && def->getOperand(1) != acc)
    return nullptr;
  return def;
}

struct Plan {
  int64_t firstTrailing; // the trailing reductions are [firstTrailing, n)
  SmallVector<bool> carried; // per init operand
};

/// The plan for `op`, or failure when convert-linalg-to-loops should take
/// it.
FailureOr<Plan> planFor(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics())
    return failure();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  int64_t n = iterators.size();
  if (n == 0 || iterators.back() != utils::IteratorType::reduction)
    return failure();
  Plan plan;
  plan.firstTrailing = n;
  while (plan.firstTrailing > 0 &&
         iterators[plan.firstTrailing - 1] == utils::IteratorType::reduction)
    --plan.firstTrailing;
  bool anyCarried = false;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap map = op.getMatchingIndexingMap(&init);
    bool carried = true;
    for (int64_t d = plan.firstTrailing; d < n; ++d)
      carried &= !map.isFunctionOfDim(d);
    if (carried) {
      // Reading a carried buffer through another operand would see stale
      // values; sharing one buffer between two outputs likewise.
      for (OpOperand &other : op->getOpOperands())
        if (&other != &init && other.get() == init.get())
          return failure();
    }
    plan.carried.push_back(carried);
    anyCarried |= carried;
  }
  if (!anyCarried)
    return failure();
  return plan;
}

void lower(linalg::GenericOp op, const Plan &plan) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Range> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
  auto bounds = [&](int64_t lo, int64_t hi, SmallVector<Value> &lbs,
                    SmallVector<Value> &ubs, SmallVector<Value> &steps) {
    for (int64_t d = lo; d < hi; ++d) {
      lbs.push_back(getValueOrCreateConstantIndexOp(b, loc, ranges[d].offset));
      ubs.push_back(getValueOrCreateConstantIndexOp(b, loc, ranges[d].size));
      steps.push_back(getValueOrCreateConstantIndexOp(b, loc, ranges[d].stride));
    }
  };
  SmallVector<Value> outerLbs, outerUbs, outerSteps, innerLbs, innerUbs,
      innerSteps;
  bounds(0, plan.firstTrailing, outerLbs, outerUbs, outerSteps);
  bounds(plan.firstTrailing, op.getNumLoops(), innerLbs, innerUbs, innerSteps);

  Block &body = *op.getBody();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  int64_t numInputs = op.getNumDpsInputs();
  auto inits = op.getDpsInits();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());

  // The combining ops of carried outputs, to be marked reassoc in the clone.
  llvm::SmallPtrSet<Operation *, 4> combining;
  for (auto [i, carried] : llvm::enumerate(plan.carried)) {
    if (!carried)
      continue;
    if (Operation *c = combiningOp(yield.getOperand(i),
                                   body.getArgument(numInputs + i)))
      combining.insert(c);
  }

  auto outerBody = [&](OpBuilder &ob, Location l, ValueRange outerIvs) {
    // The outer point, with zeros for the trailing dimensions: what maps
    // that do not use those dimensions are applied to.
    SmallVector<Value> outerPoint(outerIvs.begin(), outerIvs.end());
    outerPoint.resize(op.getNumLoops(),
                      arith::ConstantIndexOp::create(ob, l, 0));
    // Carried outputs' values at this point of the outer loops.
    SmallVector<Value> initValues;
    SmallVector<SmallVector<Value>> carriedIndices;
    for (auto [i, carried] : llvm::enumerate(plan.carried)) {
      if (!carried)
        continue;
      carriedIndices.push_back(
          applyMap(ob, l, maps[numInputs + i], outerPoint));
      initValues.push_back(
          memref::LoadOp::create(ob, l, inits[i], carriedIndices.back()));
    }
    // Inputs that do not depend on the trailing dimensions (a mean, a
    // scale per channel) are loaded once here, unless an output writes
    // the same buffer.
    SmallVector<Value> hoisted(numInputs);
    for (int64_t i = 0; i < numInputs; ++i) {
      Value input = op.getDpsInputs()[i];
      if (!isa<MemRefType>(input.getType()) || body.getArgument(i).use_empty())
        continue;
      bool invariant = !llvm::is_contained(inits, input);
      for (int64_t d = plan.firstTrailing; d < op.getNumLoops(); ++d)
        invariant &= !maps[i].isFunctionOfDim(d);
      if (!invariant)
        continue;
      hoisted[i] = memref::LoadOp::create(
          ob, l, input, applyMap(ob, l, maps[i], outerPoint));
    }
    auto innerBody = [&](OpBuilder &ib, Location il, ValueRange innerIvs,
                         ValueRange accs) -> scf::ValueVector {
      SmallVector<Value> ivs(outerIvs.begin(), outerIvs.end());
      ivs.append(innerIvs.begin(), innerIvs.end());
      IRMapping mapping;
      for (int64_t i = 0; i < numInputs; ++i) {
        Value input = op.getDpsInputs()[i];
        BlockArgument arg = body.getArgument(i);
        if (!isa<MemRefType>(input.getType())) {
          mapping.map(arg, input);
          continue;
        }
        if (arg.use_empty())
          continue;
        if (hoisted[i]) {
          mapping.map(arg, hoisted[i]);
          continue;
        }
        mapping.map(arg, memref::LoadOp::create(
                             ib, il, input, applyMap(ib, il, maps[i], ivs)));
      }
      SmallVector<SmallVector<Value>> pointIndices(inits.size());
      int64_t acc = 0;
      for (auto [i, carried] : llvm::enumerate(plan.carried)) {
        BlockArgument arg = body.getArgument(numInputs + i);
        if (carried) {
          mapping.map(arg, accs[acc++]);
          continue;
        }
        pointIndices[i] = applyMap(ib, il, maps[numInputs + i], ivs);
        if (!arg.use_empty())
          mapping.map(arg,
                      memref::LoadOp::create(ib, il, inits[i], pointIndices[i]));
      }
      for (Operation &inner : body.without_terminator()) {
        if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
          mapping.map(index.getResult(), ivs[index.getDim()]);
          continue;
        }
        Operation *clone = ib.clone(inner, mapping);
        if (combining.contains(&inner))
          if (auto fm = dyn_cast<arith::ArithFastMathInterface>(clone))
            clone->setAttr(fm.getFastMathAttrName(),
                           arith::FastMathFlagsAttr::get(
                               ib.getContext(),
                               fm.getFastMathFlagsAttr().getValue() |
                                   arith::FastMathFlags::reassoc));
      }
      scf::ValueVector next;
      for (auto [i, carried] : llvm::enumerate(plan.carried)) {
        Value value = mapping.lookupOrDefault(yield.getOperand(i));
        if (carried)
          next.push_back(value);
        else
          memref::StoreOp::create(ib, il, value, inits[i], pointIndices[i]);
      }
      return next;
    };
    scf::LoopNest inner = scf::buildLoopNest(ob, l, innerLbs, innerUbs,
                                             innerSteps, initValues, innerBody);
    // LLVM vectorizes and interleaves the innermost loop (4 x 8 lanes) and
    // would then fully unroll what is left of a static trip count: 1024
    // elements became 32 copies of the body per kernel, a third more cold
    // compile time for ResNet for no speed. scf-to-cf and cf-to-llvm carry
    // this attribute to the loop's latch branch.
    inner.loops.back()->setAttr(
        "loop_annotation",
        LLVM::LoopAnnotationAttr::get(
            ob.getContext(), {}, {}, {},
            LLVM::LoopUnrollAttr::get(ob.getContext(), ob.getBoolAttr(true),
                                      {}, {}, {}, {}, {}, {}),
            {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}));
    int64_t acc = 0;
    for (auto [i, carried] : llvm::enumerate(plan.carried)) {
      if (!carried)
        continue;
      memref::StoreOp::create(ob, l, inner.results[acc], inits[i],
                              carriedIndices[acc]);
      ++acc;
    }
  };
  scf::buildLoopNest(b, loc, outerLbs, outerUbs, outerSteps, outerBody);
  op->erase();
}

struct ReductionLoops
    : loom::impl::LoomReductionLoopsBase<ReductionLoops> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, Plan>> work;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (FailureOr<Plan> plan = planFor(op); succeeded(plan))
        work.emplace_back(op, *plan);
    });
    for (auto &[op, plan] : work)
      lower(op, plan);
  }
};

} // namespace
