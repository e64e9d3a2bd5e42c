//===- FoldBatchNorm.cpp - Inference batch_norm into the convolution -------===//
//
// See Passes.td. conv2d(x, w) followed by an inference-mode batch_norm
// becomes conv2d(x, w * s) + shift with s = gamma * rsqrt(var + eps) and
// shift = beta - mean * s, both [F] and computed from the parameters.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "Loom/GradientUtils.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace loom {
#define GEN_PASS_DEF_LOOMFOLDBATCHNORM
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;
using namespace loom;

namespace {

struct FoldIntoConv : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    if (bn.getTraining())
      return failure();
    auto conv = bn.getOperand().getDefiningOp<Conv2dOp>();
    if (!conv || !conv->hasOneUse())
      return failure();
    auto wType = cast<RankedTensorType>(conv.getWeight().getType());
    auto yType = cast<RankedTensorType>(conv.getType());
    int64_t f = wType.getDimSize(0);
    Location loc = bn.getLoc();
    Value eps = grad::scalarLike(rewriter, loc, bn.getRunningVar(),
                                 bn.getEpsilon().convertToDouble());
    Value scale = MulOp::create(
        rewriter, loc, bn.getGamma(),
        RsqrtOp::create(rewriter, loc,
                        AddOp::create(rewriter, loc, bn.getRunningVar(), eps)));
    Value shift = SubOp::create(
        rewriter, loc, bn.getBeta(),
        MulOp::create(rewriter, loc, bn.getRunningMean(), scale));
    Value wScale = ReshapeOp::create(rewriter, loc, scale,
                                     ArrayRef<int64_t>{f, 1, 1, 1});
    Value weight = MulOp::create(rewriter, loc, conv.getWeight(), wScale);
    Value folded = Conv2dOp::create(
        rewriter, conv.getLoc(), yType, conv.getInput(), weight,
        conv.getStrideAttr(), conv.getPaddingAttr(), conv.getDilationAttr(),
        conv.getGroupsAttr());
    Value bias = ReshapeOp::create(rewriter, loc, shift,
                                   ArrayRef<int64_t>{f, 1, 1});
    Value result = AddOp::create(rewriter, loc, folded, bias);
    rewriter.replaceOp(bn, {result, bn.getRunningMean(), bn.getRunningVar()});
    rewriter.eraseOp(conv);
    return success();
  }
};

struct LoomFoldBatchNorm
    : loom::impl::LoomFoldBatchNormBase<LoomFoldBatchNorm> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoConv>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
