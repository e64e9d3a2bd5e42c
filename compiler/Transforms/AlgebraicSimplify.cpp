//===- AlgebraicSimplify.cpp - Stable forms of unstable compositions -------===//
//
// See Passes.td: log(softmax) -> log_softmax, log(sigmoid(x)) ->
// -softplus(-x), log(1 - sigmoid(x)) -> -softplus(x), neg(neg(x)) -> x.
// Each rewrite keeps the value exactly (in real arithmetic) and removes an
// intermediate that rounds to 0 or 1. The patterns are public so that
// buildTrainingEntries can apply them to @forward before differentiating.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"
#include "Transforms/AlgebraicSimplify.h"

#include "Loom/GradientUtils.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace loom {
#define GEN_PASS_DEF_LOOMALGEBRAICSIMPLIFY
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;
using namespace loom;

namespace {

/// softplus(x) = log(1 + exp(x)) = max(x, 0) + log(1 + exp(-|x|)), the
/// form that neither overflows (exp of a large x) nor loses x (1 + tiny).
Value softplus(PatternRewriter &b, Location loc, Value x) {
  Value zero = grad::scalarLike(b, loc, x, 0.0);
  Value one = grad::scalarLike(b, loc, x, 1.0);
  Value tail = LogOp::create(
      b, loc,
      AddOp::create(b, loc, one,
                    ExpOp::create(b, loc, NegOp::create(b, loc,
                                                        AbsOp::create(b, loc, x)))));
  return AddOp::create(b, loc, MaximumOp::create(b, loc, x, zero), tail);
}

struct LogOfSoftmax : OpRewritePattern<LogOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LogOp op,
                                PatternRewriter &rewriter) const override {
    auto softmax = op.getOperand().getDefiningOp<SoftmaxOp>();
    if (!softmax)
      return failure();
    rewriter.replaceOpWithNewOp<LogSoftmaxOp>(op, softmax.getOperand(),
                                              softmax.getAxis());
    return success();
  }
};

/// True when `v` is a splat constant equal to `value`.
bool isSplat(Value v, double value) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat())
    return false;
  auto type = dyn_cast<FloatType>(attr.getElementType());
  return type && attr.getSplatValue<APFloat>().convertToDouble() == value;
}

struct LogOfSigmoid : OpRewritePattern<LogOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LogOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value in = op.getOperand();
    // log(sigmoid(x)) = -softplus(-x)
    if (auto s = in.getDefiningOp<SigmoidOp>()) {
      Value x = s.getOperand();
      rewriter.replaceOpWithNewOp<NegOp>(
          op, softplus(rewriter, loc, NegOp::create(rewriter, loc, x)));
      return success();
    }
    // log(1 - sigmoid(x)) = -softplus(x), when the subtraction does not
    // broadcast the sigmoid to a larger shape.
    auto sub = in.getDefiningOp<SubOp>();
    if (!sub || !isSplat(sub.getLhs(), 1.0))
      return failure();
    auto s = sub.getRhs().getDefiningOp<SigmoidOp>();
    if (!s || s.getType() != sub.getType())
      return failure();
    rewriter.replaceOpWithNewOp<NegOp>(op,
                                       softplus(rewriter, loc, s.getOperand()));
    return success();
  }
};

struct NegOfNeg : OpRewritePattern<NegOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(NegOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getOperand().getDefiningOp<NegOp>();
    if (!inner)
      return failure();
    rewriter.replaceOp(op, inner.getOperand());
    return success();
  }
};

struct LoomAlgebraicSimplify
    : loom::impl::LoomAlgebraicSimplifyBase<LoomAlgebraicSimplify> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateAlgebraicSimplifyPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void loom::populateAlgebraicSimplifyPatterns(RewritePatternSet &patterns) {
  patterns.add<LogOfSoftmax, LogOfSigmoid, NegOfNeg>(patterns.getContext());
}

LogicalResult loom::simplifyAlgebra(Operation *op) {
  RewritePatternSet patterns(op->getContext());
  populateAlgebraicSimplifyPatterns(patterns);
  // Only these rewrites and the removal of ops left dead (no folding, no
  // region simplification): the caller's IR otherwise keeps its shape.
  GreedyRewriteConfig config;
  config.enableFolding(false);
  config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  return applyPatternsGreedily(op, std::move(patterns), config);
}
