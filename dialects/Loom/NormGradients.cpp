//===- NormGradients.cpp - VJPs of layer_norm, batch_norm and dropout -----===//
//
// With g = d(loss)/d(result) and the statistics recomputed by the shared
// formulas (Normalization.h):
//
//   layer_norm / batch_norm (training):
//     dx     = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)),
//              dxhat = g * gamma, means over the normalized axes
//     dgamma = sum(g * xhat), dbeta = sum(g), over everything but the
//              feature (layer_norm) or channel (batch_norm) axes
//   batch_norm (inference): the statistics are constants, so
//     dx = g * gamma * rsqrt(running_var + epsilon)
//   running statistics: no gradient (they are not trainable; the new
//     values the op returns are updates, not part of the loss)
//   dropout: the same dropout (seed, counter, rate) of g: the mask is a pure
//     function of them, so it is reproduced exactly
//
//===----------------------------------------------------------------------===//
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"
#include "Loom/Normalization.h"

using namespace mlir;
using namespace loom;
using namespace loom::grad;

LogicalResult LayerNormOp::buildVJP(OpBuilder &b, ValueRange g,
                                    SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value x = getOperand();
  int64_t rank = typeOf(x).getRank();
  SmallVector<int64_t> axes;
  for (int64_t d = getAxis(); d < rank; ++d)
    axes.push_back(d);
  norm::Stats s =
      norm::normalize(b, loc, x, axes, getEpsilon().convertToDouble());
  Value dxhat = MulOp::create(b, loc, g[0], getGamma());
  out.push_back(norm::normalizeVJP(b, loc, dxhat, s, axes));
  out.push_back(sumToShape(b, loc, MulOp::create(b, loc, g[0], s.xhat),
                           typeOf(getGamma())));
  out.push_back(sumToShape(b, loc, g[0], typeOf(getBeta())));
  return success();
}

LogicalResult BatchNormOp::buildVJP(OpBuilder &b, ValueRange g,
                                    SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value x = getOperand();
  int64_t rank = typeOf(x).getRank();
  double eps = getEpsilon().convertToDouble();
  Value gamma = norm::perChannel(b, loc, getGamma(), rank);
  auto channelType = typeOf(gamma);
  Value xhat, dx;
  if (getTraining()) {
    SmallVector<int64_t> axes = norm::batchNormAxes(rank);
    norm::Stats s = norm::normalize(b, loc, x, axes, eps);
    xhat = s.xhat;
    dx = norm::normalizeVJP(b, loc, MulOp::create(b, loc, g[0], gamma), s,
                            axes);
  } else {
    Value mean = norm::perChannel(b, loc, getRunningMean(), rank);
    Value var = norm::perChannel(b, loc, getRunningVar(), rank);
    Value rstd = RsqrtOp::create(
        b, loc, AddOp::create(b, loc, var, scalarLike(b, loc, var, eps)));
    xhat = MulOp::create(b, loc, SubOp::create(b, loc, x, mean), rstd);
    dx = MulOp::create(b, loc, g[0], MulOp::create(b, loc, gamma, rstd));
  }
  auto channelSum = [&](Value v) {
    Value summed = sumToShape(b, loc, v, channelType);
    return ReshapeOp::create(b, loc, summed,
                             b.getDenseI64ArrayAttr(typeOf(getGamma()).getShape()))
        .getResult();
  };
  out.push_back(dx);
  out.push_back(channelSum(MulOp::create(b, loc, g[0], xhat)));
  out.push_back(channelSum(g[0]));
  out.push_back(Value()); // running_mean
  out.push_back(Value()); // running_var
  return success();
}

LogicalResult DropoutOp::buildVJP(OpBuilder &b, ValueRange g,
                                  SmallVectorImpl<Value> &out) {
  out.push_back(DropoutOp::create(b, getLoc(), g[0], getCounter(), getRate(),
                                  getSeed(), getTraining()));
  if (getCounter())
    out.push_back(Value());
  return success();
}
