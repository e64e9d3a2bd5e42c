//===- Decompose.cpp - Composite loom ops into primitives -------------------===//
//
// softmax = exp(x - max) / sum(exp(x - max)), log_softmax = (x - max) -
// log(sum(exp(x - max))), both along one axis with keepdims reductions so the
// broadcasts line up; reduce_mean = reduce_sum * (1 / count); layer_norm and
// batch_norm = their statistics, normalization and affine map in
// elementwise ops and reductions (the formulas in Normalization.h, shared
// with their VJPs; batch_norm in training mode also computes its new running
// statistics, in inference mode it passes them through); attention =
// softmax(q k^T * scale, causally masked by a select) v. After this pass
// code generation sees only primitive ops, and fusion (later) sees the
// pieces it can merge with their neighbours.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "Loom/Attention.h"
#include "Loom/GradientUtils.h"
#include "Loom/Normalization.h"
#include "Transforms/DecomposeRecurrent.h"

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

struct DecomposeLayerNorm : OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t rank = cast<RankedTensorType>(op.getType()).getRank();
    SmallVector<int64_t> axes;
    for (int64_t d = op.getAxis(); d < rank; ++d)
      axes.push_back(d);
    norm::Stats s = norm::normalize(rewriter, loc, op.getOperand(), axes,
                                    op.getEpsilon().convertToDouble());
    Value scaled = MulOp::create(rewriter, loc, s.xhat, op.getGamma());
    rewriter.replaceOpWithNewOp<AddOp>(op, scaled, op.getBeta());
    return success();
  }
};

struct DecomposeBatchNorm : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getOperand();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t rank = xType.getRank();
    Value gamma = norm::perChannel(rewriter, loc, op.getGamma(), rank);
    Value beta = norm::perChannel(rewriter, loc, op.getBeta(), rank);
    double eps = op.getEpsilon().convertToDouble();
    Value xhat, newMean = op.getRunningMean(), newVar = op.getRunningVar();
    if (op.getTraining()) {
      SmallVector<int64_t> axes = norm::batchNormAxes(rank);
      norm::Stats s = norm::normalize(rewriter, loc, x, axes, eps);
      xhat = s.xhat;
      double n = double(xType.getNumElements() / xType.getDimSize(1));
      double m = op.getMomentum().convertToDouble();
      auto statShape = rewriter.getDenseI64ArrayAttr({xType.getDimSize(1)});
      Value mean = ReshapeOp::create(rewriter, loc, s.mean, statShape);
      Value var = ReshapeOp::create(rewriter, loc, s.var, statShape);
      auto blend = [&](Value old, Value batch, double batchScale) -> Value {
        Value kept = MulOp::create(rewriter, loc, old,
                                   grad::scalarLike(rewriter, loc, old, 1.0 - m));
        Value fresh = MulOp::create(
            rewriter, loc, batch,
            grad::scalarLike(rewriter, loc, batch, m * batchScale));
        return AddOp::create(rewriter, loc, kept, fresh);
      };
      newMean = blend(op.getRunningMean(), mean, 1.0);
      newVar = blend(op.getRunningVar(), var, n > 1 ? n / (n - 1) : 1.0);
    } else {
      Value mean = norm::perChannel(rewriter, loc, op.getRunningMean(), rank);
      Value var = norm::perChannel(rewriter, loc, op.getRunningVar(), rank);
      Value rstd = RsqrtOp::create(
          rewriter, loc,
          AddOp::create(rewriter, loc, var,
                        grad::scalarLike(rewriter, loc, var, eps)));
      xhat = MulOp::create(rewriter, loc, SubOp::create(rewriter, loc, x, mean),
                           rstd);
    }
    Value y = AddOp::create(rewriter, loc,
                            MulOp::create(rewriter, loc, xhat, gamma), beta);
    rewriter.replaceOp(op, {y, newMean, newVar});
    return success();
  }
};

struct DecomposeAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    Value p = attention::probabilities(rewriter, op.getLoc(), op.getQuery(),
                                       op.getKey(),
                                       op.getScale().convertToDouble(),
                                       op.getCausal());
    rewriter.replaceOpWithNewOp<MatmulOp>(op, p, op.getValue(), false, false);
    return success();
  }
};

struct LoomDecompose : loom::impl::LoomDecomposeBase<LoomDecompose> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DecomposeSoftmax, DecomposeLogSoftmax, DecomposeReduceMean,
                 DecomposeLayerNorm, DecomposeBatchNorm, DecomposeAttention>(
        &getContext());
    populateDecomposeRecurrentPatterns(patterns);
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
