//===- CollapseLoops.cpp - Merge adjacent loops of linalg ops on buffers ---===//
//
// After LLVM's O3 (vectorize, then fully unroll short static loops) a kernel
// whose inner loops are short and static becomes one basic block: a fill of
// memref<32x1x16x1024xf32> was 2048 vector stores in a block of 4101
// instructions, and LLVM's machine schedulers are quadratic in block size
// (70% of a ResNet cold compile). Merging loop dimensions that walk
// contiguous memory into one gives that fill a single loop of 524288
// floats, which is vectorized but never fully unrolled, and gives pointwise
// kernels longer innermost loops.
//
// Two dimensions d_i, d_i+1 merge when
//   - they have the same iterator type (reductions stay apart from parallel
//     dimensions),
//   - every indexing map uses them as a contiguous, in-order run of results
//     or not at all (linalg::areDimSequencesPreserved), and
//   - every operand is contiguous across the memref dimensions they index
//     (stride[j] == stride[j+1] * size[j+1], unit dimensions aside), with
//     static shapes and strides.
// linalg::collapseOpIterationDims then inserts the memref.collapse_shape of
// each operand. A broadcast operand that keeps its unit dimensions and
// reads them through a constant 0 (`(d0, d1, d2, d3) -> (d1, 0, 0)`, as
// lowering writes a bias along channels) is first collapsed to drop those
// dimensions, so its map is a projected permutation like the others.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace loom {
#define GEN_PASS_DEF_LOOMCOLLAPSELOOPS
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

/// One operand as the collapse sees it: its static shape and strides, its
/// indexing map with constant-0 results (unit dimensions read by a
/// broadcast) dropped, and for each remaining result the memref dimension
/// it indexes.
struct OperandView {
  bool isMemRef = false;
  SmallVector<int64_t> shape, strides;
  AffineMap map;                 // constant-0 results dropped
  SmallVector<int64_t> memrefDim; // map result -> memref dimension
  bool hasConstants = false;
};

/// Fills `view` for `operand`; fails for what this pass leaves alone: a
/// dynamic or non-strided memref, an empty one, or a map result that is
/// neither a dimension nor a constant 0 on a unit dimension.
LogicalResult viewOperand(linalg::LinalgOp op, OpOperand &operand,
                          OperandView &view) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  auto type = dyn_cast<MemRefType>(operand.get().getType());
  if (!type) {
    if (isa<ShapedType>(operand.get().getType()) || map.getNumResults() != 0)
      return failure();
    view.map = map;
    return success();
  }
  view.isMemRef = true;
  if (!type.hasStaticShape() || type.getNumElements() == 0)
    return failure();
  int64_t offset;
  if (failed(type.getStridesAndOffset(view.strides, offset)) ||
      llvm::any_of(view.strides, ShapedType::isDynamic))
    return failure();
  view.shape.assign(type.getShape().begin(), type.getShape().end());
  SmallVector<AffineExpr> kept;
  for (auto [pos, expr] : llvm::enumerate(map.getResults())) {
    if (isa<AffineDimExpr>(expr)) {
      kept.push_back(expr);
      view.memrefDim.push_back(pos);
      continue;
    }
    auto cst = dyn_cast<AffineConstantExpr>(expr);
    if (!cst || cst.getValue() != 0 || view.shape[pos] != 1)
      return failure();
    view.hasConstants = true;
  }
  view.map = AffineMap::get(map.getNumDims(), 0, kept, op.getContext());
  return success();
}

/// Whether memref dimensions lo..hi form one contiguous run: between
/// consecutive non-unit dimensions a < b, stride[a] == stride[b] * size[b].
bool isContiguous(const OperandView &view, int64_t lo, int64_t hi) {
  int64_t prev = -1;
  for (int64_t d = lo; d <= hi; ++d) {
    if (view.shape[d] == 1)
      continue;
    if (prev >= 0 && view.strides[prev] != view.strides[d] * view.shape[d])
      return false;
    prev = d;
  }
  return true;
}

/// Whether loop dimensions `group` (consecutive) may merge into one.
bool canMerge(ArrayRef<utils::IteratorType> iterators,
              ArrayRef<OperandView> views, ArrayRef<AffineMap> maps,
              const ReassociationIndices &group) {
  for (int64_t d : group)
    if (iterators[d] != iterators[group.front()])
      return false;
  if (!linalg::areDimSequencesPreserved(maps, {group}))
    return false;
  for (const OperandView &view : views) {
    if (!view.isMemRef)
      continue;
    // Preserved: the group's dimensions are consecutive results or absent.
    std::optional<unsigned> first =
        view.map.getResultPosition(getAffineDimExpr(group.front(),
                                                    view.map.getContext()));
    if (!first)
      continue;
    unsigned last = *first + group.size() - 1;
    if (!isContiguous(view, view.memrefDim[*first], view.memrefDim[last]))
      return false;
  }
  return true;
}

/// Replaces each broadcast operand's constant-0 unit dimensions by a
/// memref.collapse_shape that drops them, and its map by `view.map`. Each
/// dropped dimension joins the group of the kept dimension before it (or
/// the first one after it); an operand with no kept dimension becomes
/// rank 0.
void dropBroadcastUnitDims(linalg::GenericOp op, ArrayRef<OperandView> views,
                           RewriterBase &rewriter) {
  SmallVector<AffineMap> maps;
  for (auto [operand, view] : llvm::zip_equal(op->getOpOperands(), views)) {
    maps.push_back(view.map);
    if (!view.hasConstants)
      continue;
    SmallVector<ReassociationIndices> groups;
    ReassociationIndices leading;
    int64_t nextKept = 0;
    for (int64_t d = 0, e = view.shape.size(); d < e; ++d) {
      bool kept = nextKept < (int64_t)view.memrefDim.size() &&
                  view.memrefDim[nextKept] == d;
      if (kept) {
        ++nextKept;
        groups.emplace_back(leading);
        groups.back().push_back(d);
        leading.clear();
      } else if (groups.empty()) {
        leading.push_back(d);
      } else {
        groups.back().push_back(d);
      }
    }
    Value collapsed = memref::CollapseShapeOp::create(
        rewriter, op.getLoc(), operand.get(), groups);
    rewriter.modifyOpInPlace(op, [&] { operand.set(collapsed); });
  }
  rewriter.modifyOpInPlace(
      op, [&] { op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps)); });
}

/// Collapses `op` where legal; leaves it untouched otherwise.
void collapse(linalg::LinalgOp op, RewriterBase &rewriter) {
  if (!op.hasPureBufferSemantics() || op.hasIndexSemantics() ||
      op.getNumLoops() < 2)
    return;
  SmallVector<OperandView> views(op->getNumOperands());
  SmallVector<AffineMap> maps;
  for (OpOperand &operand : op->getOpOperands()) {
    OperandView &view = views[operand.getOperandNumber()];
    if (failed(viewOperand(op, operand, view)) ||
        !view.map.isProjectedPermutation())
      return;
    maps.push_back(view.map);
  }
  // Greedy from the outermost dimension: whether a run may merge is decided
  // pair by pair, so the longest run from each start is legal.
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices group{0};
  for (int64_t d = 1, e = op.getNumLoops(); d <= e; ++d) {
    ReassociationIndices longer = group;
    longer.push_back(d);
    if (d < e && canMerge(iterators, views, maps, longer)) {
      group = std::move(longer);
      continue;
    }
    if (group.size() > 1)
      groups.push_back(group);
    group = {d};
  }
  if (groups.empty())
    return;

  rewriter.setInsertionPoint(op);
  if (llvm::any_of(views, [](const OperandView &v) { return v.hasConstants; }))
    dropBroadcastUnitDims(cast<linalg::GenericOp>(op.getOperation()), views,
                          rewriter);
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(op, groups, rewriter);
  if (failed(collapsed))
    return; // checked above; at worst the broadcast operands were reshaped
  rewriter.eraseOp(op);
}

struct LoomCollapseLoops
    : loom::impl::LoomCollapseLoopsBase<LoomCollapseLoops> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      // Maps of other named ops (transpose, broadcast, matmul) live in
      // attributes or in the op's definition; cloning them onto collapsed
      // operands would not update them.
      if (isa<linalg::GenericOp, linalg::FillOp, linalg::CopyOp>(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      collapse(op, rewriter);
  }
};

} // namespace
