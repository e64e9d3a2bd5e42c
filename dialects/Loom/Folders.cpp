//===- Folders.cpp - Folds and canonicalizations of loom ops ----------------===//
//
// Only the plainly right rewrites: identities (x + 0, x * 1, x - 0, x / 1,
// reshape/broadcast/pad to the same type, identity transposes), collapsing
// chains (transpose of transpose, reshape of reshape), folding a transpose
// of the two matrix dimensions into matmul's flags, and constant folding of
// small constants through the reference evaluation (in double, rounded once
// to the element type).
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace loom;

/// Folding bigger constants would bloat the IR and the compile time.
static constexpr int64_t kMaxFoldElements = 4096;

/// Evaluates `op` on constant operands with its reference rule.
static OpFoldResult foldByReference(Operation *op,
                                    ArrayRef<Attribute> operands) {
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || type.getNumElements() > kMaxFoldElements)
    return {};
  auto ref = dyn_cast<ReferenceOpInterface>(op);
  if (!ref)
    return {};
  SmallVector<RefTensor> in;
  for (Attribute a : operands) {
    auto elements = dyn_cast_or_null<ElementsAttr>(a);
    if (!elements)
      return {};
    FailureOr<RefTensor> value = refFromElements(elements);
    if (failed(value))
      return {};
    in.push_back(std::move(*value));
  }
  SmallVector<RefTensor> out;
  if (failed(ref.evaluateReference(in, out)))
    return {};
  return elementsFromRef(out.front(), type);
}

/// True if `a` is a constant whose every element equals `value`.
static bool isSplatOf(Attribute a, double value) {
  auto dense = dyn_cast_or_null<DenseFPElementsAttr>(a);
  return dense && dense.isSplat() &&
         dense.getSplatValue<APFloat>().convertToDouble() == value;
}

/// `x op c` where c is a neutral element: fold to x if no broadcast changes
/// the type.
static OpFoldResult foldNeutral(Operation *op, Value x, Attribute c,
                                double neutral) {
  if (isSplatOf(c, neutral) && x.getType() == op->getResult(0).getType())
    return x;
  return {};
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

#define LOOM_FOLD_BY_REFERENCE(Op)                                             \
  OpFoldResult Op::fold(FoldAdaptor adaptor) {                                \
    return foldByReference(*this, adaptor.getOperands());                     \
  }
LOOM_FOLD_BY_REFERENCE(NegOp)
LOOM_FOLD_BY_REFERENCE(ExpOp)
LOOM_FOLD_BY_REFERENCE(LogOp)
LOOM_FOLD_BY_REFERENCE(SqrtOp)
LOOM_FOLD_BY_REFERENCE(RsqrtOp)
LOOM_FOLD_BY_REFERENCE(TanhOp)
LOOM_FOLD_BY_REFERENCE(SigmoidOp)
LOOM_FOLD_BY_REFERENCE(ReluOp)
LOOM_FOLD_BY_REFERENCE(AbsOp)
LOOM_FOLD_BY_REFERENCE(ErfOp)
LOOM_FOLD_BY_REFERENCE(GeluOp)
LOOM_FOLD_BY_REFERENCE(LeakyReluOp)
LOOM_FOLD_BY_REFERENCE(ClampOp)
LOOM_FOLD_BY_REFERENCE(MaximumOp)
LOOM_FOLD_BY_REFERENCE(MinimumOp)
LOOM_FOLD_BY_REFERENCE(PowOp)
LOOM_FOLD_BY_REFERENCE(CompareOp)
#undef LOOM_FOLD_BY_REFERENCE

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (auto r = foldNeutral(*this, getLhs(), adaptor.getRhs(), 0.0))
    return r;
  if (auto r = foldNeutral(*this, getRhs(), adaptor.getLhs(), 0.0))
    return r;
  return foldByReference(*this, adaptor.getOperands());
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (auto r = foldNeutral(*this, getLhs(), adaptor.getRhs(), 0.0))
    return r;
  return foldByReference(*this, adaptor.getOperands());
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (auto r = foldNeutral(*this, getLhs(), adaptor.getRhs(), 1.0))
    return r;
  if (auto r = foldNeutral(*this, getRhs(), adaptor.getLhs(), 1.0))
    return r;
  return foldByReference(*this, adaptor.getOperands());
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (auto r = foldNeutral(*this, getLhs(), adaptor.getRhs(), 1.0))
    return r;
  return foldByReference(*this, adaptor.getOperands());
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  // A uniform condition picks one side outright (if no broadcast is needed).
  if (auto c = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getCondition());
      c && c.isSplat()) {
    Value chosen = c.getSplatValue<bool>() ? getOnTrue() : getOnFalse();
    if (chosen.getType() == getType())
      return chosen;
  }
  return foldByReference(*this, adaptor.getOperands());
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  if (auto inner = getOperand().getDefiningOp<ReshapeOp>()) {
    getOperandMutable().assign(inner.getOperand());
    return getResult();
  }
  if (auto c = dyn_cast_or_null<DenseElementsAttr>(adaptor.getOperand()))
    return c.reshape(getType());
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPermutation();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return getOperand();
  if (auto inner = getOperand().getDefiningOp<TransposeOp>()) {
    // result[i] = inner[perm[i]] = x[innerPerm[perm[i]]].
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(inner.getPermutation()[p]);
    getOperandMutable().assign(inner.getOperand());
    setPermutation(composed);
    if (llvm::equal(composed, llvm::seq<int64_t>(0, composed.size())))
      return getOperand();
    return getResult();
  }
  return foldByReference(*this, adaptor.getOperands());
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor adaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  if (auto c = dyn_cast_or_null<SplatElementsAttr>(adaptor.getOperand()))
    return SplatElementsAttr::get(getType(), c.getSplatValue<Attribute>());
  return foldByReference(*this, adaptor.getOperands());
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand(); // no padding at all
  return {};
}

namespace {
/// matmul(transpose(a, [..., n-1, n-2]), b) -> matmul(a, b) {transpose_lhs}
/// and the same for rhs; the flag toggles, so a doubly transposed operand
/// ends up plain.
struct FoldTransposeIntoMatmul : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  static TransposeOp swapsLastTwo(Value v) {
    auto t = v.getDefiningOp<TransposeOp>();
    if (!t)
      return {};
    ArrayRef<int64_t> p = t.getPermutation();
    int64_t n = p.size();
    if (n < 2 || p[n - 1] != n - 2 || p[n - 2] != n - 1)
      return {};
    for (int64_t i = 0; i < n - 2; ++i)
      if (p[i] != i)
        return {};
    return t;
  }

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    TransposeOp tl = swapsLastTwo(op.getLhs());
    TransposeOp tr = swapsLastTwo(op.getRhs());
    if (!tl && !tr)
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      if (tl) {
        op.getLhsMutable().assign(tl.getOperand());
        op.setTransposeLhs(!op.getTransposeLhs());
      }
      if (tr) {
        op.getRhsMutable().assign(tr.getOperand());
        op.setTransposeRhs(!op.getTransposeRhs());
      }
    });
    return success();
  }
};
} // namespace

void MatmulOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<FoldTransposeIntoMatmul>(context);
}
