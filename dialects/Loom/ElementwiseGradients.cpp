//===- ElementwiseGradients.cpp - VJPs of the elementwise loom ops -------===//
//
// The local reverse-mode rule of every elementwise op, as loom ops. With g
// = d(loss)/d(y) and y the op's own result (reused where the derivative is
// cheapest in terms of it: exp, sqrt, tanh, sigmoid):
//
//   neg -g      exp g*y       log g/x            sqrt g*0.5/y
//   rsqrt g*(-0.5)*y^3        tanh g*(1-y*y)     sigmoid g*y*(1-y)
//   relu select(x > 0, g, 0)  abs g*sign(x) (0 at x = 0, like PyTorch)
//   add g, g   sub g, -g   mul g*b, g*a   div g/b, -g*y/b
//   pow g*b*a^(b-1), g*y*log(a)   (log(a) is NaN for a < 0: like PyTorch,
//       the exponent's gradient only exists for a positive base)
//   maximum/minimum: g goes to the operand that was chosen; on a tie
//       (a == b) it is split evenly, half to each, as in PyTorch
//   select: g to the chosen branch, none to the condition
//   compare: no gradient (its result is i1)
//
// A binary op's operands may have been broadcast, so each operand's
// gradient is summed back to its shape (sumToShape).
//
//===----------------------------------------------------------------------===//
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"

using namespace mlir;
using namespace loom;
using namespace loom::grad;

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

LogicalResult NegOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  out.push_back(NegOp::create(b, getLoc(), g[0]));
  return success();
}

LogicalResult ExpOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  out.push_back(MulOp::create(b, getLoc(), g[0], getResult()));
  return success();
}

LogicalResult LogOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  out.push_back(DivOp::create(b, getLoc(), g[0], getOperand()));
  return success();
}

LogicalResult SqrtOp::buildVJP(OpBuilder &b, ValueRange g,
                               SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value half = MulOp::create(b, loc, g[0], scalarLike(b, loc, g[0], 0.5));
  out.push_back(DivOp::create(b, loc, half, getResult()));
  return success();
}

LogicalResult RsqrtOp::buildVJP(OpBuilder &b, ValueRange g,
                                SmallVectorImpl<Value> &out) {
  // d/dx x^(-1/2) = -0.5 x^(-3/2) = -0.5 y^3.
  Location loc = getLoc();
  Value y = getResult();
  Value cube = MulOp::create(b, loc, y, MulOp::create(b, loc, y, y));
  Value scaled = MulOp::create(b, loc, g[0], scalarLike(b, loc, g[0], -0.5));
  out.push_back(MulOp::create(b, loc, scaled, cube));
  return success();
}

LogicalResult TanhOp::buildVJP(OpBuilder &b, ValueRange g,
                               SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value y = getResult();
  Value d = SubOp::create(b, loc, scalarLike(b, loc, y, 1.0),
                          MulOp::create(b, loc, y, y));
  out.push_back(MulOp::create(b, loc, g[0], d));
  return success();
}

LogicalResult SigmoidOp::buildVJP(OpBuilder &b, ValueRange g,
                                  SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value y = getResult();
  Value d = MulOp::create(b, loc, y,
                          SubOp::create(b, loc, scalarLike(b, loc, y, 1.0), y));
  out.push_back(MulOp::create(b, loc, g[0], d));
  return success();
}

LogicalResult ReluOp::buildVJP(OpBuilder &b, ValueRange g,
                               SmallVectorImpl<Value> &out) {
  // relu'(x) = [x > 0]; at x = 0 the gradient is 0, as in PyTorch.
  Location loc = getLoc();
  Value zero = scalarLike(b, loc, g[0], 0.0);
  Value positive =
      CompareOp::create(b, loc, ComparePredicate::gt, getOperand(), zero);
  out.push_back(SelectOp::create(b, loc, positive, g[0], zero));
  return success();
}

LogicalResult AbsOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value x = getOperand();
  Value zero = scalarLike(b, loc, g[0], 0.0);
  Value positive = CompareOp::create(b, loc, ComparePredicate::gt, x, zero);
  Value negative = CompareOp::create(b, loc, ComparePredicate::lt, x, zero);
  Value flipped =
      SelectOp::create(b, loc, negative, NegOp::create(b, loc, g[0]), zero);
  out.push_back(SelectOp::create(b, loc, positive, g[0], flipped));
  return success();
}

//===----------------------------------------------------------------------===//
// Binary
//===----------------------------------------------------------------------===//

/// Pushes the two operands' gradients, each summed back to its shape.
static LogicalResult pushBinary(OpBuilder &b, Location loc, Operation *op,
                                Value lhsGrad, Value rhsGrad,
                                SmallVectorImpl<Value> &out) {
  out.push_back(sumToShape(b, loc, lhsGrad, typeOf(op->getOperand(0))));
  out.push_back(sumToShape(b, loc, rhsGrad, typeOf(op->getOperand(1))));
  return success();
}

LogicalResult AddOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  return pushBinary(b, getLoc(), *this, g[0], g[0], out);
}

LogicalResult SubOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  return pushBinary(b, getLoc(), *this, g[0], NegOp::create(b, getLoc(), g[0]),
                    out);
}

LogicalResult MulOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  return pushBinary(b, loc, *this, MulOp::create(b, loc, g[0], getRhs()),
                    MulOp::create(b, loc, g[0], getLhs()), out);
}

LogicalResult DivOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  // d(a/b)/db = -a/b^2 = -y/b.
  Location loc = getLoc();
  Value da = DivOp::create(b, loc, g[0], getRhs());
  Value db = NegOp::create(
      b, loc,
      DivOp::create(b, loc, MulOp::create(b, loc, g[0], getResult()),
                    getRhs()));
  return pushBinary(b, loc, *this, da, db, out);
}

/// maximum (pick = gt) and minimum (pick = lt): g where lhs was chosen,
/// half of g on ties, and the rest (g - lhs's share) to rhs.
static LogicalResult extremumVJP(OpBuilder &b, Operation *op,
                                 ComparePredicate pick, Value g,
                                 SmallVectorImpl<Value> &out) {
  Location loc = op->getLoc();
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  Value zero = scalarLike(b, loc, g, 0.0);
  Value chosen = CompareOp::create(b, loc, pick, lhs, rhs);
  Value tied = CompareOp::create(b, loc, ComparePredicate::eq, lhs, rhs);
  Value half = MulOp::create(b, loc, g, scalarLike(b, loc, g, 0.5));
  Value lhsGrad = SelectOp::create(b, loc, chosen, g,
                                   SelectOp::create(b, loc, tied, half, zero));
  Value rhsGrad = SubOp::create(b, loc, g, lhsGrad);
  return pushBinary(b, loc, op, lhsGrad, rhsGrad, out);
}

LogicalResult MaximumOp::buildVJP(OpBuilder &b, ValueRange g,
                                  SmallVectorImpl<Value> &out) {
  return extremumVJP(b, *this, ComparePredicate::gt, g[0], out);
}

LogicalResult MinimumOp::buildVJP(OpBuilder &b, ValueRange g,
                                  SmallVectorImpl<Value> &out) {
  return extremumVJP(b, *this, ComparePredicate::lt, g[0], out);
}

LogicalResult PowOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value a = getLhs(), e = getRhs();
  Value eMinus1 = SubOp::create(b, loc, e, scalarLike(b, loc, e, 1.0));
  Value dA = MulOp::create(b, loc, MulOp::create(b, loc, g[0], e),
                           PowOp::create(b, loc, a, eMinus1));
  Value dE = MulOp::create(b, loc, MulOp::create(b, loc, g[0], getResult()),
                           LogOp::create(b, loc, a));
  return pushBinary(b, loc, *this, dA, dE, out);
}

//===----------------------------------------------------------------------===//
// Compare and select
//===----------------------------------------------------------------------===//

LogicalResult CompareOp::buildVJP(OpBuilder &, ValueRange,
                                  SmallVectorImpl<Value> &out) {
  // Piecewise constant: zero almost everywhere, so no gradient at all.
  out.append({Value(), Value()});
  return success();
}

LogicalResult SelectOp::buildVJP(OpBuilder &b, ValueRange g,
                                 SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value zero = scalarLike(b, loc, g[0], 0.0);
  Value c = getCondition();
  out.push_back(Value()); // the i1 condition
  out.push_back(sumToShape(b, loc, SelectOp::create(b, loc, c, g[0], zero),
                           typeOf(getOnTrue())));
  out.push_back(sumToShape(b, loc, SelectOp::create(b, loc, c, zero, g[0]),
                           typeOf(getOnFalse())));
  return success();
}
