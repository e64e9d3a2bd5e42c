//===- ElementwiseOps.cpp - Elementwise loom ops ----------------------------===//
//
// Type inference and the scalar rule of every elementwise op (plus the
// identity stop_gradient), the rule written twice side by side: in double
// for the reference evaluator (evalScalar) and as arith/math IR for code
// generation (buildScalar). Keeping both next to each other makes a
// mismatch easy to see in review.
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"
#include "Loom/ShapeInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace loom;

//===----------------------------------------------------------------------===//
// Type inference
//===----------------------------------------------------------------------===//

#define LOOM_UNARY_INFER(Op)                                                   \
  LogicalResult Op::inferReturnTypes(MLIRContext *, std::optional<Location>,  \
                                     Adaptor adaptor,                         \
                                     SmallVectorImpl<Type> &types) {          \
    types.push_back(adaptor.getOperand().getType());                          \
    return success();                                                         \
  }
LOOM_UNARY_INFER(NegOp)
LOOM_UNARY_INFER(ExpOp)
LOOM_UNARY_INFER(LogOp)
LOOM_UNARY_INFER(SqrtOp)
LOOM_UNARY_INFER(RsqrtOp)
LOOM_UNARY_INFER(TanhOp)
LOOM_UNARY_INFER(SigmoidOp)
LOOM_UNARY_INFER(ReluOp)
LOOM_UNARY_INFER(AbsOp)
#undef LOOM_UNARY_INFER

/// stop_gradient is the identity for everything but autodiff, so it sits
/// with the unary ops; it has no scalar rule because lowering erases it.
LogicalResult StopGradientOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location>,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getOperand().getType());
  return success();
}

LogicalResult
StopGradientOp::evaluateReference(ArrayRef<RefTensor> operands,
                                  SmallVectorImpl<RefTensor> &results) {
  results.push_back(operands[0]);
  return success();
}

#define LOOM_BINARY_INFER(Op)                                                  \
  LogicalResult Op::inferReturnTypes(MLIRContext *,                           \
                                     std::optional<Location> loc,             \
                                     Adaptor adaptor,                         \
                                     SmallVectorImpl<Type> &types) {          \
    Type lhs = adaptor.getLhs().getType();                                    \
    auto t = inferBroadcast(loc, getOperationName(),                          \
                            {lhs, adaptor.getRhs().getType()},                \
                            mlir::getElementTypeOrSelf(lhs));                       \
    if (failed(t))                                                            \
      return failure();                                                       \
    types.push_back(*t);                                                      \
    return success();                                                         \
  }
LOOM_BINARY_INFER(AddOp)
LOOM_BINARY_INFER(SubOp)
LOOM_BINARY_INFER(MulOp)
LOOM_BINARY_INFER(DivOp)
LOOM_BINARY_INFER(MaximumOp)
LOOM_BINARY_INFER(MinimumOp)
LOOM_BINARY_INFER(PowOp)
#undef LOOM_BINARY_INFER

LogicalResult CompareOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto t = inferBroadcast(
      loc, getOperationName(),
      {adaptor.getLhs().getType(), adaptor.getRhs().getType()},
      IntegerType::get(ctx, 1));
  if (failed(t))
    return failure();
  types.push_back(*t);
  return success();
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Type onTrue = adaptor.getOnTrue().getType();
  auto t = inferBroadcast(loc, getOperationName(),
                          {adaptor.getCondition().getType(), onTrue,
                           adaptor.getOnFalse().getType()},
                          mlir::getElementTypeOrSelf(onTrue));
  if (failed(t))
    return failure();
  types.push_back(*t);
  return success();
}

//===----------------------------------------------------------------------===//
// Scalar rules
//===----------------------------------------------------------------------===//

/// NaN-propagating max/min, matching arith.maximumf/minimumf and PyTorch.
static double nanMax(double a, double b) {
  return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
}
static double nanMin(double a, double b) {
  return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
}

static Value floatConst(OpBuilder &b, Location loc, Type t, double v) {
  return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
}

// Unary.
double NegOp::evalScalar(ArrayRef<double> x) { return -x[0]; }
Value NegOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return arith::NegFOp::create(b, loc, x[0]);
}
double ExpOp::evalScalar(ArrayRef<double> x) { return std::exp(x[0]); }
Value ExpOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return math::ExpOp::create(b, loc, x[0]);
}
double LogOp::evalScalar(ArrayRef<double> x) { return std::log(x[0]); }
Value LogOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return math::LogOp::create(b, loc, x[0]);
}
double SqrtOp::evalScalar(ArrayRef<double> x) { return std::sqrt(x[0]); }
Value SqrtOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return math::SqrtOp::create(b, loc, x[0]);
}
double RsqrtOp::evalScalar(ArrayRef<double> x) {
  return 1.0 / std::sqrt(x[0]);
}
Value RsqrtOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return math::RsqrtOp::create(b, loc, x[0]);
}
double TanhOp::evalScalar(ArrayRef<double> x) { return std::tanh(x[0]); }
Value TanhOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return math::TanhOp::create(b, loc, x[0]);
}
double SigmoidOp::evalScalar(ArrayRef<double> x) {
  return 1.0 / (1.0 + std::exp(-x[0]));
}
Value SigmoidOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  // 1 / (1 + exp(-x)): exp overflows to +inf for x << 0, giving 0, and
  // underflows to 0 for x >> 0, giving 1; no NaN for finite x.
  Type t = x[0].getType();
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x[0]));
  Value one = floatConst(b, loc, t, 1.0);
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}
double ReluOp::evalScalar(ArrayRef<double> x) { return nanMax(x[0], 0.0); }
Value ReluOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return arith::MaximumFOp::create(
      b, loc, x[0], floatConst(b, loc, x[0].getType(), 0.0));
}
double AbsOp::evalScalar(ArrayRef<double> x) { return std::fabs(x[0]); }
Value AbsOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return math::AbsFOp::create(b, loc, x[0]);
}

// Binary.
double AddOp::evalScalar(ArrayRef<double> x) { return x[0] + x[1]; }
Value AddOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return arith::AddFOp::create(b, loc, x[0], x[1]);
}
double SubOp::evalScalar(ArrayRef<double> x) { return x[0] - x[1]; }
Value SubOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return arith::SubFOp::create(b, loc, x[0], x[1]);
}
double MulOp::evalScalar(ArrayRef<double> x) { return x[0] * x[1]; }
Value MulOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return arith::MulFOp::create(b, loc, x[0], x[1]);
}
double DivOp::evalScalar(ArrayRef<double> x) { return x[0] / x[1]; }
Value DivOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return arith::DivFOp::create(b, loc, x[0], x[1]);
}
double MaximumOp::evalScalar(ArrayRef<double> x) { return nanMax(x[0], x[1]); }
Value MaximumOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return arith::MaximumFOp::create(b, loc, x[0], x[1]);
}
double MinimumOp::evalScalar(ArrayRef<double> x) { return nanMin(x[0], x[1]); }
Value MinimumOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return arith::MinimumFOp::create(b, loc, x[0], x[1]);
}
double PowOp::evalScalar(ArrayRef<double> x) { return std::pow(x[0], x[1]); }
Value PowOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return math::PowFOp::create(b, loc, x[0], x[1]);
}

// Compare and select.
double CompareOp::evalScalar(ArrayRef<double> x) {
  double a = x[0], c = x[1];
  switch (getPredicate()) {
  case ComparePredicate::eq: return a == c;
  case ComparePredicate::ne: return a != c;
  case ComparePredicate::lt: return a < c;
  case ComparePredicate::le: return a <= c;
  case ComparePredicate::gt: return a > c;
  case ComparePredicate::ge: return a >= c;
  }
  llvm_unreachable("unknown compare predicate");
}
Value CompareOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  // Ordered predicates (false on NaN) except ne, which is unordered (true on
  // NaN) like C++ and NumPy.
  arith::CmpFPredicate p = arith::CmpFPredicate::OEQ;
  switch (getPredicate()) {
  case ComparePredicate::eq: p = arith::CmpFPredicate::OEQ; break;
  case ComparePredicate::ne: p = arith::CmpFPredicate::UNE; break;
  case ComparePredicate::lt: p = arith::CmpFPredicate::OLT; break;
  case ComparePredicate::le: p = arith::CmpFPredicate::OLE; break;
  case ComparePredicate::gt: p = arith::CmpFPredicate::OGT; break;
  case ComparePredicate::ge: p = arith::CmpFPredicate::OGE; break;
  }
  return arith::CmpFOp::create(b, loc, p, x[0], x[1]);
}
double SelectOp::evalScalar(ArrayRef<double> x) {
  return x[0] != 0.0 ? x[1] : x[2];
}
Value SelectOp::buildScalar(OpBuilder &b, Location loc, ValueRange x) {
  return arith::SelectOp::create(b, loc, x[0], x[1], x[2]);
}
