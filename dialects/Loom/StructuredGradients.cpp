//===- StructuredGradients.cpp - VJPs of constants, matmul, reductions ----===//
//
// The local reverse-mode rules of the non-elementwise compute ops, as loom
// ops:
//
//   constant, stop_gradient   no gradient (stop_gradient is the user's way
//                             to cut the graph)
//   matmul   with A' = op(A), B' = op(B) the operands as the flags read
//            them: dA' = G B'^T and dB' = A'^T G, each written as one
//            matmul with transpose flags (never a transpose op), then
//            summed over broadcast batch dimensions back to the operand
//   reduce_sum / reduce_mean   g (times 1/n) broadcast back over the axes
//   reduce_max   g goes to the positions equal to the maximum; ties split
//            it evenly (each of k tied positions gets g/k), as PyTorch's
//            amax does, so the gradient sums to g either way
//   softmax      y * (g - sum(g * y, axis))
//   log_softmax  g - exp(y) * sum(g, axis)
//
//===----------------------------------------------------------------------===//
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"

using namespace mlir;
using namespace loom;
using namespace loom::grad;

LogicalResult ConstantOp::buildVJP(OpBuilder &, ValueRange,
                                   SmallVectorImpl<Value> &) {
  return success(); // no operands
}

LogicalResult StopGradientOp::buildVJP(OpBuilder &, ValueRange,
                                       SmallVectorImpl<Value> &out) {
  out.push_back(Value());
  return success();
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::buildVJP(OpBuilder &b, ValueRange g,
                                 SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value a = getLhs(), c = getRhs(), grad = g[0];
  bool ta = getTransposeLhs(), tc = getTransposeRhs();
  // Each case is the transposed product's operands and flags; e.g. for
  // plain C = A B: dA = G B^T, dB = A^T G.
  Value dA, dC;
  if (!ta)
    dA = tc ? MatmulOp::create(b, loc, grad, c, false, false) // G B
            : MatmulOp::create(b, loc, grad, c, false, true); // G B^T
  else
    dA = tc ? MatmulOp::create(b, loc, c, grad, true, true)   // B^T G^T
            : MatmulOp::create(b, loc, c, grad, false, true); // B G^T
  if (!tc)
    dC = ta ? MatmulOp::create(b, loc, a, grad, false, false) // A G
            : MatmulOp::create(b, loc, a, grad, true, false); // A^T G
  else
    dC = ta ? MatmulOp::create(b, loc, grad, a, true, true)   // G^T A^T
            : MatmulOp::create(b, loc, grad, a, true, false); // G^T A
  out.push_back(sumToShape(b, loc, dA, typeOf(a)));
  out.push_back(sumToShape(b, loc, dC, typeOf(c)));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// `v`, shaped like the reduction's result, in the keepdims layout (the
/// reduced axes present with size 1), so it broadcasts against the operand.
static Value withKeptDims(OpBuilder &b, Location loc, Value v,
                          RankedTensorType operand, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> kept(operand.getShape());
  for (int64_t a : axes)
    kept[a] = 1;
  if (typeOf(v).getShape() == ArrayRef<int64_t>(kept))
    return v;
  return ReshapeOp::create(b, loc, v, kept);
}

LogicalResult ReduceSumOp::buildVJP(OpBuilder &b, ValueRange g,
                                    SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  RankedTensorType xType = typeOf(getOperand());
  Value kept = withKeptDims(b, loc, g[0], xType, getAxes());
  out.push_back(BroadcastToOp::create(b, loc, kept, xType.getShape()));
  return success();
}

LogicalResult ReduceMeanOp::buildVJP(OpBuilder &b, ValueRange g,
                                     SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  RankedTensorType xType = typeOf(getOperand());
  int64_t count = 1;
  for (int64_t a : getAxes())
    count *= xType.getDimSize(a);
  Value kept = withKeptDims(b, loc, g[0], xType, getAxes());
  Value scaled = MulOp::create(b, loc, kept,
                               scalarLike(b, loc, kept, 1.0 / double(count)));
  out.push_back(BroadcastToOp::create(b, loc, scaled, xType.getShape()));
  return success();
}

LogicalResult ReduceMaxOp::buildVJP(OpBuilder &b, ValueRange g,
                                    SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value x = getOperand();
  RankedTensorType xType = typeOf(x);
  Value maxKept = withKeptDims(b, loc, getResult(), xType, getAxes());
  Value gradKept = withKeptDims(b, loc, g[0], xType, getAxes());
  Value isMax = CompareOp::create(b, loc, ComparePredicate::eq, x, maxKept);
  Value zero = scalarLike(b, loc, x, 0.0);
  Value ones =
      SelectOp::create(b, loc, isMax, scalarLike(b, loc, x, 1.0), zero);
  Value ties = ReduceSumOp::create(b, loc, ones, getAxes(), /*keepdims=*/true);
  Value share = DivOp::create(b, loc, gradKept, ties);
  out.push_back(SelectOp::create(b, loc, isMax, share, zero));
  return success();
}

//===----------------------------------------------------------------------===//
// Softmax family
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::buildVJP(OpBuilder &b, ValueRange g,
                                  SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value y = getResult();
  Value gy = MulOp::create(b, loc, g[0], y);
  Value dot =
      ReduceSumOp::create(b, loc, gy, ArrayRef<int64_t>{int64_t(getAxis())},
                          /*keepdims=*/true);
  out.push_back(MulOp::create(b, loc, y, SubOp::create(b, loc, g[0], dot)));
  return success();
}

LogicalResult LogSoftmaxOp::buildVJP(OpBuilder &b, ValueRange g,
                                     SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value total =
      ReduceSumOp::create(b, loc, g[0], ArrayRef<int64_t>{int64_t(getAxis())},
                          /*keepdims=*/true);
  Value probs = ExpOp::create(b, loc, getResult());
  out.push_back(
      SubOp::create(b, loc, g[0], MulOp::create(b, loc, probs, total)));
  return success();
}
