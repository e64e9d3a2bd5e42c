//===- Decompose.cpp - Composite loom ops into primitives -------------------===//
//
// softmax = exp(x - max) / sum(exp(x - max)), log_softmax = (x - max) -
// log(sum(exp(x - max))), both along one axis with keepdims reductions so the
// broadcasts line up; reduce_mean = reduce_sum * (1 / count). After this pass
// code generation sees only primitive ops, and fusion (later) sees the
// pieces it can merge with their neighbours.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace loom {
#define GEN_PASS_DEF_LOOMDECOMPOSE
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;
using namespace loom;

namespace {

/// x - max(x, axis), and sum(exp(that), axis), both keeping the axis.
static std::pair<Value, Value> shiftedAndSum(PatternRewriter &rewriter,
                                             Location loc, Value x,
                                             int64_t axis, Value &expShifted) {
  auto axes = rewriter.getDenseI64ArrayAttr({axis});
  Value max = ReduceMaxOp::create(rewriter, loc, x, axes, /*keepdims=*/true);
  Value shifted = SubOp::create(rewriter, loc, x, max);
  expShifted = ExpOp::create(rewriter, loc, shifted);
  Value sum =
      ReduceSumOp::create(rewriter, loc, expShifted, axes, /*keepdims=*/true);
  return {shifted, sum};
}

struct DecomposeSoftmax : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Value e;
    auto [shifted, sum] =
        shiftedAndSum(rewriter, op.getLoc(), op.getOperand(), op.getAxis(), e);
    (void)shifted;
    rewriter.replaceOpWithNewOp<DivOp>(op, e, sum);
    return success();
  }
};

struct DecomposeLogSoftmax : OpRewritePattern<LogSoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LogSoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Value e;
    auto [shifted, sum] =
        shiftedAndSum(rewriter, op.getLoc(), op.getOperand(), op.getAxis(), e);
    Value logSum = LogOp::create(rewriter, op.getLoc(), sum);
    rewriter.replaceOpWithNewOp<SubOp>(op, shifted, logSum);
    return success();
  }
};

struct DecomposeReduceMean : OpRewritePattern<ReduceMeanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReduceMeanOp op,
                                PatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getOperand().getType());
    int64_t count = 1;
    for (int64_t a : op.getAxes())
      count *= inType.getDimSize(a);
    Location loc = op.getLoc();
    Value sum = ReduceSumOp::create(rewriter, loc, op.getOperand(),
                                    op.getAxesAttr(), op.getKeepdims());
    auto scalarType = RankedTensorType::get({}, inType.getElementType());
    Value scale = ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(scalarType,
                               rewriter.getFloatAttr(inType.getElementType(),
                                                     1.0 / double(count))));
    rewriter.replaceOpWithNewOp<MulOp>(op, sum, scale);
    return success();
  }
};

struct LoomDecompose : loom::impl::LoomDecomposeBase<LoomDecompose> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DecomposeSoftmax, DecomposeLogSoftmax, DecomposeReduceMean>(
        &getContext());
    // Only these rewrites: folding here would hide ops from later stages'
    // lit tests.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      signalPassFailure();
  }
};

} // namespace
