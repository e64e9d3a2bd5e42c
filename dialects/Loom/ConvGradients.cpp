//===- ConvGradients.cpp - VJPs of convolution and pooling ----------------===//
//
// The local reverse-mode rules of the convolution family, as loom ops; no
// dedicated backward ops, so every gradient is itself differentiable,
// lowered and checked like any other graph:
//
//   conv2d            dX = conv2d_transpose(G, W) with conv2d's attributes
//                     and the output_padding that restores [H, W] (the rows
//                     a rounded-down stride never read get zeros);
//                     dW = filterGradient(X, G), below
//   conv2d_transpose  dX = conv2d(G, W) (the adjoint of the adjoint);
//                     dW = filterGradient(G, X): the transposed op is
//                     conv2d's input gradient, so its weight gradient is
//                     conv2d's with the roles of input and output swapped
//   avg_pool2d        dX = conv2d_transpose(G, 1/(KH KW)) depthwise
//                     (groups = C), i.e. each window spreads its gradient
//                     evenly, padding included (count_include_pad)
//   max_pool2d        each window's gradient goes to its first maximum in
//                     row-major order, as PyTorch's: one strided slice of
//                     the -inf-padded input per kernel offset, compared with
//                     the output, minus offsets already taken, scattered
//                     back with an interior pad (KH * KW small steps)
//
// filterGradient is a convolution over transposed tensors: with the batch
// as the contraction and the output's spatial extent as the "kernel",
//   dW[f, c, kh, kw] = sum_{n, oh, ow} G[n, f, oh, ow]
//                      * Xpad[n, c, oh*s + kh*d, ow*s + kw*d]
// is conv2d(X^T [C, N, H, W], G^T [F, N, OH, OW]) with stride and dilation
// exchanged; groups carry over by ordering X^T's channels (group, n).
//
//===----------------------------------------------------------------------===//
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"

#include <limits>

using namespace mlir;
using namespace loom;
using namespace loom::grad;

/// d(loss)/d(weight) of `conv2d(input, weight)` given the output gradient
/// `gradOut`, for a weight of type `weightType` [F, C/groups, KH, KW].
static Value filterGradient(OpBuilder &b, Location loc, Value input,
                            Value gradOut, ArrayRef<int64_t> stride,
                            ArrayRef<int64_t> padding,
                            ArrayRef<int64_t> dilation, int64_t groups,
                            RankedTensorType weightType) {
  ArrayRef<int64_t> x = typeOf(input).getShape();
  int64_t n = x[0], cg = x[1] / groups;
  // [N, C, H, W] -> [C/g, g * N, H, W], channels ordered (group, n).
  Value xt;
  if (groups == 1) {
    xt = TransposeOp::create(b, loc, input, ArrayRef<int64_t>{1, 0, 2, 3});
  } else {
    Value split = ReshapeOp::create(
        b, loc, input, ArrayRef<int64_t>{n, groups, cg, x[2], x[3]});
    Value moved =
        TransposeOp::create(b, loc, split, ArrayRef<int64_t>{2, 1, 0, 3, 4});
    xt = ReshapeOp::create(b, loc, moved,
                           ArrayRef<int64_t>{cg, groups * n, x[2], x[3]});
  }
  // [N, F, OH, OW] -> [F, N, OH, OW]: F is already ordered (group, f).
  Value gt =
      TransposeOp::create(b, loc, gradOut, ArrayRef<int64_t>{1, 0, 2, 3});
  Value r = Conv2dOp::create(b, loc, xt, gt, /*stride=*/dilation, padding,
                             /*dilation=*/stride, groups);
  // [C/g, F, KH', KW']; KH' exceeds KH when the forward stride left input
  // rows unread at the bottom (or right): their taps are not weights.
  ArrayRef<int64_t> w = weightType.getShape();
  ArrayRef<int64_t> rs = typeOf(r).getShape();
  if (rs[2] != w[2] || rs[3] != w[3])
    r = SliceOp::create(b, loc, r, ArrayRef<int64_t>{0, 0, 0, 0},
                        ArrayRef<int64_t>{rs[0], rs[1], w[2], w[3]},
                        ArrayRef<int64_t>{1, 1, 1, 1});
  return TransposeOp::create(b, loc, r, ArrayRef<int64_t>{1, 0, 2, 3});
}

/// The output_padding that makes conv2d_transpose of a conv2d result
/// [.., OH, OW] come back to `inputShape` [.., H, W].
static SmallVector<int64_t>
restoringOutputPadding(ArrayRef<int64_t> inputShape, ArrayRef<int64_t> outShape,
                       ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
                       ArrayRef<int64_t> padding, ArrayRef<int64_t> dilation) {
  SmallVector<int64_t> op;
  for (int i = 0; i < 2; ++i)
    op.push_back(inputShape[2 + i] -
                 ((outShape[2 + i] - 1) * stride[i] - 2 * padding[i] +
                  dilation[i] * (kernel[i] - 1) + 1));
  return op;
}

LogicalResult Conv2dOp::buildVJP(OpBuilder &b, ValueRange g,
                                 SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  RankedTensorType xType = typeOf(getInput()), wType = typeOf(getWeight());
  int64_t groups = getGroups();
  SmallVector<int64_t> outputPadding = restoringOutputPadding(
      xType.getShape(), typeOf(getResult()).getShape(),
      wType.getShape().drop_front(2), getStride(), getPadding(), getDilation());
  out.push_back(Conv2dTransposeOp::create(
      b, loc, g[0], getWeight(), getStride(), getPadding(), outputPadding,
      getDilation(), groups));
  out.push_back(filterGradient(b, loc, getInput(), g[0], getStride(),
                               getPadding(), getDilation(), groups, wType));
  return success();
}

LogicalResult Conv2dTransposeOp::buildVJP(OpBuilder &b, ValueRange g,
                                          SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  int64_t groups = getGroups();
  out.push_back(Conv2dOp::create(b, loc, g[0], getWeight(), getStride(),
                                 getPadding(), getDilation(), groups));
  out.push_back(filterGradient(b, loc, g[0], getInput(), getStride(),
                               getPadding(), getDilation(), groups,
                               typeOf(getWeight())));
  return success();
}

LogicalResult AvgPool2dOp::buildVJP(OpBuilder &b, ValueRange g,
                                    SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  RankedTensorType xType = typeOf(getInput());
  ArrayRef<int64_t> k = getKernel();
  int64_t c = xType.getDimSize(1);
  auto wType =
      RankedTensorType::get({c, 1, k[0], k[1]}, xType.getElementType());
  Value w = ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(wType, b.getFloatAttr(wType.getElementType(),
                                                   1.0 / double(k[0] * k[1]))));
  SmallVector<int64_t> ones = {1, 1};
  SmallVector<int64_t> outputPadding =
      restoringOutputPadding(xType.getShape(), typeOf(getResult()).getShape(),
                             k, getStride(), getPadding(), ones);
  out.push_back(Conv2dTransposeOp::create(b, loc, g[0], w, getStride(),
                                          getPadding(), outputPadding, ones,
                                          /*groups=*/c));
  return success();
}

LogicalResult MaxPool2dOp::buildVJP(OpBuilder &b, ValueRange g,
                                    SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value x = getInput(), y = getResult();
  RankedTensorType xType = typeOf(x);
  Type et = xType.getElementType();
  ArrayRef<int64_t> xs = xType.getShape(), ys = typeOf(y).getShape();
  ArrayRef<int64_t> k = getKernel(), s = getStride(), p = getPadding();
  int64_t hp = xs[2] + 2 * p[0], wp = xs[3] + 2 * p[1];

  // The input as the forward pass saw it: padded with -inf (zeros padded
  // by loom.pad, plus a constant -inf border that broadcasts over N, C).
  Value padded = x;
  if (p[0] || p[1]) {
    SmallVector<int64_t> lowHigh = {0, 0, p[0], p[1]};
    padded = PadOp::create(b, loc, x, lowHigh, lowHigh,
                           ArrayRef<int64_t>{0, 0, 0, 0});
    auto borderType = RankedTensorType::get({1, 1, hp, wp}, et);
    SmallVector<Attribute> border;
    for (int64_t i = 0; i < hp; ++i)
      for (int64_t j = 0; j < wp; ++j) {
        bool inside =
            i >= p[0] && i < p[0] + xs[2] && j >= p[1] && j < p[1] + xs[3];
        border.push_back(b.getFloatAttr(
            et, inside ? 0.0 : -std::numeric_limits<double>::infinity()));
      }
    Value borderValue =
        ConstantOp::create(b, loc, DenseElementsAttr::get(borderType, border));
    padded = AddOp::create(b, loc, padded, borderValue);
  }

  Value one = scalarLike(b, loc, x, 1.0), zero = scalarLike(b, loc, x, 0.0);
  Value taken; // 1 where a window's gradient has been routed already
  Value gradPadded;
  int64_t spanH = (ys[2] - 1) * s[0] + 1, spanW = (ys[3] - 1) * s[1] + 1;
  for (int64_t kh = 0; kh < k[0]; ++kh)
    for (int64_t kw = 0; kw < k[1]; ++kw) {
      Value tap = SliceOp::create(
          b, loc, padded, ArrayRef<int64_t>{0, 0, kh, kw},
          ArrayRef<int64_t>{xs[0], xs[1], kh + spanH, kw + spanW},
          ArrayRef<int64_t>{1, 1, s[0], s[1]});
      Value isMax = CompareOp::create(b, loc, ComparePredicate::eq, tap, y);
      Value hit = SelectOp::create(b, loc, isMax, one, zero);
      if (taken) {
        hit = MulOp::create(b, loc, hit, SubOp::create(b, loc, one, taken));
        taken = AddOp::create(b, loc, taken, hit);
      } else {
        taken = hit;
      }
      Value routed = MulOp::create(b, loc, g[0], hit);
      Value scattered = PadOp::create(
          b, loc, routed, ArrayRef<int64_t>{0, 0, kh, kw},
          ArrayRef<int64_t>{0, 0, hp - kh - spanH, wp - kw - spanW},
          ArrayRef<int64_t>{0, 0, s[0] - 1, s[1] - 1});
      gradPadded =
          gradPadded ? AddOp::create(b, loc, gradPadded, scattered) : scattered;
    }
  if (p[0] || p[1])
    gradPadded = SliceOp::create(
        b, loc, gradPadded, ArrayRef<int64_t>{0, 0, p[0], p[1]},
        ArrayRef<int64_t>{xs[0], xs[1], p[0] + xs[2], p[1] + xs[3]},
        ArrayRef<int64_t>{1, 1, 1, 1});
  out.push_back(gradPadded);
  return success();
}
