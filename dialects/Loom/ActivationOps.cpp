//===- ActivationOps.cpp - erf, gelu, leaky_relu, clamp --------------------===//
//
// The activations beyond the basic unary ops: type inference, the scalar
// rule twice (double for the reference, arith/math for code generation, side
// by side as in ElementwiseOps.cpp) and the VJP, with PyTorch's conventions
// at the kinks:
//
//   erf         g * 2/sqrt(pi) * e^(-x^2)
//   gelu        g * (Phi(x) + x * phi(x)),  Phi = 0.5 (1 + erf(x/sqrt 2)),
//               phi = e^(-x^2/2) / sqrt(2 pi)
//   gelu(tanh)  g * (0.5 (1 + t) + 0.5 x (1 - t^2) k (1 + 3 c x^2)),
//               t = tanh(k (x + c x^3)), k = sqrt(2/pi), c = 0.044715
//   leaky_relu  select(x > 0, g, alpha g)         (alpha at 0)
//   clamp       select(min <= x <= max, g, 0)     (bounds pass the gradient)
//
//===----------------------------------------------------------------------===//
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace loom;
using namespace loom::grad;

static constexpr double kSqrt2OverPi = 0.79788456080286535588;
static constexpr double kGeluCubic = 0.044715;
static constexpr double kInvSqrt2 = 0.70710678118654752440;
static constexpr double kInvSqrt2Pi = 0.39894228040143267794;
static constexpr double kTwoOverSqrtPi = 1.12837916709551257390;

#define LOOM_SAME_TYPE_INFER(Op)                                               \
  LogicalResult Op::inferReturnTypes(MLIRContext *, std::optional<Location>,  \
                                     Adaptor adaptor,                         \
                                     SmallVectorImpl<Type> &types) {          \
    types.push_back(adaptor.getOperand().getType());                          \
    return success();                                                         \
  }
LOOM_SAME_TYPE_INFER(ErfOp)
LOOM_SAME_TYPE_INFER(GeluOp)
LOOM_SAME_TYPE_INFER(LeakyReluOp)
LOOM_SAME_TYPE_INFER(ClampOp)
#undef LOOM_SAME_TYPE_INFER

LogicalResult ClampOp::verify() {
  double lo = getMin().convertToDouble(), hi = getMax().convertToDouble();
  if (std::isnan(lo) || std::isnan(hi) || lo > hi)
    return emitOpError() << "needs min <= max, got min " << lo << " and max "
                         << hi;
  return success();
}

//===----------------------------------------------------------------------===//
// Scalar rules
//===----------------------------------------------------------------------===//

static Value cst(OpBuilder &b, Location loc, Type t, double v) {
  return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
}

double ErfOp::evalScalar(ArrayRef<double> x) { return std::erf(x[0]); }
Value ErfOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return math::ErfOp::create(b, loc, x[0]);
}

double GeluOp::evalScalar(ArrayRef<double> x) {
  double v = x[0];
  if (getApproximateTanh())
    return 0.5 * v *
           (1.0 + std::tanh(kSqrt2OverPi * (v + kGeluCubic * v * v * v)));
  return 0.5 * v * (1.0 + std::erf(v * kInvSqrt2));
}
Value GeluOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  Value v = x[0];
  Type t = v.getType();
  Value inner;
  if (getApproximateTanh()) {
    Value v3 = arith::MulFOp::create(b, loc, v, arith::MulFOp::create(b, loc, v, v));
    Value s = arith::AddFOp::create(
        b, loc, v, arith::MulFOp::create(b, loc, cst(b, loc, t, kGeluCubic), v3));
    inner = math::TanhOp::create(
        b, loc, arith::MulFOp::create(b, loc, cst(b, loc, t, kSqrt2OverPi), s));
  } else {
    inner = math::ErfOp::create(
        b, loc, arith::MulFOp::create(b, loc, v, cst(b, loc, t, kInvSqrt2)));
  }
  Value onePlus = arith::AddFOp::create(b, loc, cst(b, loc, t, 1.0), inner);
  Value half = arith::MulFOp::create(b, loc, cst(b, loc, t, 0.5), v);
  return arith::MulFOp::create(b, loc, half, onePlus);
}

double LeakyReluOp::evalScalar(ArrayRef<double> x) {
  return x[0] > 0 ? x[0] : getAlpha().convertToDouble() * x[0];
}
Value LeakyReluOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  Type t = x[0].getType();
  Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                         x[0], cst(b, loc, t, 0.0));
  Value scaled = arith::MulFOp::create(
      b, loc, x[0], cst(b, loc, t, getAlpha().convertToDouble()));
  return arith::SelectOp::create(b, loc, positive, x[0], scaled);
}

double ClampOp::evalScalar(ArrayRef<double> x) {
  if (std::isnan(x[0]))
    return NAN;
  return std::min(std::max(x[0], getMin().convertToDouble()),
                  getMax().convertToDouble());
}
Value ClampOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  Type t = x[0].getType();
  // maximumf/minimumf propagate NaN, like the reference.
  Value lo = arith::MaximumFOp::create(
      b, loc, x[0], cst(b, loc, t, getMin().convertToDouble()));
  return arith::MinimumFOp::create(b, loc, lo,
                                   cst(b, loc, t, getMax().convertToDouble()));
}

//===----------------------------------------------------------------------===//
// Gradients
//===----------------------------------------------------------------------===//

LogicalResult ErfOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value x = getOperand();
  Value negSq = NegOp::create(b, loc, MulOp::create(b, loc, x, x));
  Value d = MulOp::create(b, loc, scalarLike(b, loc, x, kTwoOverSqrtPi),
                          ExpOp::create(b, loc, negSq));
  out.push_back(MulOp::create(b, loc, g[0], d));
  return success();
}

LogicalResult GeluOp::buildVJP(OpBuilder &b, ValueRange g,
                               SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value x = getOperand();
  auto c = [&](double v) { return scalarLike(b, loc, x, v); };
  Value xx = MulOp::create(b, loc, x, x);
  Value d;
  if (getApproximateTanh()) {
    Value x3 = MulOp::create(b, loc, xx, x);
    Value s = AddOp::create(b, loc, x, MulOp::create(b, loc, c(kGeluCubic), x3));
    Value t = TanhOp::create(b, loc, MulOp::create(b, loc, c(kSqrt2OverPi), s));
    Value left = MulOp::create(b, loc, c(0.5), AddOp::create(b, loc, c(1.0), t));
    Value sech2 = SubOp::create(b, loc, c(1.0), MulOp::create(b, loc, t, t));
    Value ds = AddOp::create(b, loc, c(1.0),
                             MulOp::create(b, loc, c(3.0 * kGeluCubic), xx));
    Value right = MulOp::create(
        b, loc, MulOp::create(b, loc, c(0.5 * kSqrt2OverPi), x),
        MulOp::create(b, loc, sech2, ds));
    d = AddOp::create(b, loc, left, right);
  } else {
    Value erf = ErfOp::create(b, loc, MulOp::create(b, loc, x, c(kInvSqrt2)));
    Value cdf = MulOp::create(b, loc, c(0.5), AddOp::create(b, loc, c(1.0), erf));
    Value pdf = MulOp::create(
        b, loc, c(kInvSqrt2Pi),
        ExpOp::create(b, loc, MulOp::create(b, loc, xx, c(-0.5))));
    d = AddOp::create(b, loc, cdf, MulOp::create(b, loc, x, pdf));
  }
  out.push_back(MulOp::create(b, loc, g[0], d));
  return success();
}

LogicalResult LeakyReluOp::buildVJP(OpBuilder &b, ValueRange g,
                                    SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value x = getOperand();
  Value positive = CompareOp::create(b, loc, ComparePredicate::gt, x,
                                     scalarLike(b, loc, x, 0.0));
  Value scaled = MulOp::create(
      b, loc, g[0], scalarLike(b, loc, x, getAlpha().convertToDouble()));
  out.push_back(SelectOp::create(b, loc, positive, g[0], scaled));
  return success();
}

LogicalResult ClampOp::buildVJP(OpBuilder &b, ValueRange g,
                                SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value x = getOperand();
  Value zero = scalarLike(b, loc, x, 0.0);
  Value below = CompareOp::create(
      b, loc, ComparePredicate::lt, x,
      scalarLike(b, loc, x, getMin().convertToDouble()));
  Value above = CompareOp::create(
      b, loc, ComparePredicate::gt, x,
      scalarLike(b, loc, x, getMax().convertToDouble()));
  Value inside = SelectOp::create(b, loc, above, zero, g[0]);
  out.push_back(SelectOp::create(b, loc, below, zero, inside));
  return success();
}
