//===- NormOps.cpp - layer_norm, batch_norm, dropout: types, reference ----===//
//
// Shape rules, the training-mode switch, and the reference evaluation of the
// normalization and dropout ops, plus the shared normalization formulas
// (Normalization.h). The reference is written as plain loops in double over
// each normalized group; dropout's reference calls the same generator
// functions (Random.h) the lowering reproduces in IR.
//
//===----------------------------------------------------------------------===//
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"
#include "Loom/Normalization.h"
#include "Loom/OpUtils.h"
#include "Loom/Random.h"
#include "Loom/ShapeInference.h"

#include <cmath>

using namespace mlir;
using namespace loom;

//===----------------------------------------------------------------------===//
// Shape rules
//===----------------------------------------------------------------------===//

FailureOr<RankedTensorType> loom::inferLayerNorm(OptLoc loc, Type operand,
                                                 Type gamma, Type beta,
                                                 int64_t axis, double epsilon) {
  auto x = cast<RankedTensorType>(operand);
  if (axis < 0 || axis >= x.getRank())
    return emitOptionalError(loc, "'loom.layer_norm' axis ", axis,
                             " is out of range for a rank-", x.getRank(),
                             " operand ", shapeString(x.getShape()));
  if (!(epsilon > 0))
    return emitOptionalError(loc, "'loom.layer_norm' epsilon must be > 0, got ",
                             epsilon);
  ArrayRef<int64_t> normalized = x.getShape().drop_front(axis);
  for (auto [what, t] : {std::pair{"gamma", gamma}, std::pair{"beta", beta}}) {
    auto shape = cast<RankedTensorType>(t).getShape();
    if (shape != normalized)
      return emitOptionalError(
          loc, "'loom.layer_norm' ", what, " has shape ", shapeString(shape),
          " but normalizing ", shapeString(x.getShape()), " from axis ", axis,
          " needs ", shapeString(normalized));
  }
  return x;
}

LogicalResult loom::inferBatchNorm(OptLoc loc, TypeRange operands,
                                   double epsilon, double momentum,
                                   SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(operands[0]);
  if (x.getRank() < 2)
    return emitOptionalError(
        loc, "'loom.batch_norm' expects an operand [N, C, ...] of rank >= 2, "
             "got ",
        shapeString(x.getShape()));
  if (!(epsilon > 0))
    return emitOptionalError(loc, "'loom.batch_norm' epsilon must be > 0, got ",
                             epsilon);
  if (!(momentum >= 0 && momentum <= 1))
    return emitOptionalError(
        loc, "'loom.batch_norm' momentum must be in [0, 1], got ", momentum);
  int64_t c = x.getDimSize(1);
  const char *names[] = {"gamma", "beta", "running_mean", "running_var"};
  for (int i = 0; i < 4; ++i) {
    auto shape = cast<RankedTensorType>(operands[i + 1]).getShape();
    if (shape.size() != 1 || shape[0] != c)
      return emitOptionalError(loc, "'loom.batch_norm' ", names[i],
                               " has shape ", shapeString(shape), " but ",
                               shapeString(x.getShape()), " has ", c,
                               " channels (dimension 1): it must be [", c,
                               "]");
  }
  auto stat = RankedTensorType::get({c}, x.getElementType());
  types.append({x, stat, stat});
  return success();
}

FailureOr<RankedTensorType> loom::inferDropout(OptLoc loc, Type operand,
                                               double rate) {
  if (!(rate >= 0 && rate < 1))
    return emitOptionalError(loc, "'loom.dropout' rate must be in [0, 1), got ",
                             rate);
  return cast<RankedTensorType>(operand);
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor a,
                                            SmallVectorImpl<Type> &types) {
  return pushType(inferLayerNorm(loc, a.getOperand().getType(),
                                 a.getGamma().getType(), a.getBeta().getType(),
                                 a.getAxis(), a.getEpsilon().convertToDouble()),
                  types);
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor a,
                                            SmallVectorImpl<Type> &types) {
  return inferBatchNorm(loc, a.getOperands().getTypes(),
                        a.getEpsilon().convertToDouble(),
                        a.getMomentum().convertToDouble(), types);
}

LogicalResult DropoutOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor a,
                                          SmallVectorImpl<Type> &types) {
  return pushType(
      inferDropout(loc, a.getOperand().getType(), a.getRate().convertToDouble()),
      types);
}

LogicalResult DropoutOp::verify() {
  if (getTraining() && !getCounter())
    return emitOpError("in training mode needs a counter (the step number)");
  if (getSeed() < 0 || getSeed() > int64_t(UINT32_MAX))
    return emitOpError("seed must be in [0, 2^32), got ") << getSeed();
  return success();
}

//===----------------------------------------------------------------------===//
// Training mode
//===----------------------------------------------------------------------===//

bool BatchNormOp::isTraining() { return getTraining(); }
void BatchNormOp::switchToTraining(Value) { setTraining(true); }

bool DropoutOp::isTraining() { return getTraining(); }
void DropoutOp::switchToTraining(Value step) {
  getCounterMutable().assign(step);
  setTraining(true);
}

//===----------------------------------------------------------------------===//
// Reference evaluation
//===----------------------------------------------------------------------===//

namespace {
/// Visits the groups of a [outer, inner] view: layer_norm normalizes each
/// row of `inner` elements; batch_norm each channel of [N, C, S] across N
/// and S.
struct Moments {
  double mean = 0, var = 0;
};
Moments moments(const std::vector<double> &v) {
  Moments m;
  for (double x : v)
    m.mean += x;
  m.mean /= double(v.size());
  for (double x : v)
    m.var += (x - m.mean) * (x - m.mean);
  m.var /= double(v.size());
  return m;
}
} // namespace

LogicalResult LayerNormOp::evaluateReference(ArrayRef<RefTensor> in,
                                             SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0], &gamma = in[1], &beta = in[2];
  int64_t inner = productOf(ArrayRef<int64_t>(x.shape).drop_front(getAxis()));
  int64_t outer = inner ? x.numElements() / inner : 0;
  double eps = getEpsilon().convertToDouble();
  RefTensor y(x.shape);
  for (int64_t o = 0; o < outer; ++o) {
    std::vector<double> row(x.data.begin() + o * inner,
                            x.data.begin() + (o + 1) * inner);
    Moments m = moments(row);
    double rstd = 1.0 / std::sqrt(m.var + eps);
    for (int64_t i = 0; i < inner; ++i)
      y.data[o * inner + i] =
          (row[i] - m.mean) * rstd * gamma.data[i] + beta.data[i];
  }
  out.push_back(std::move(y));
  return success();
}

LogicalResult BatchNormOp::evaluateReference(ArrayRef<RefTensor> in,
                                             SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0], &gamma = in[1], &beta = in[2], &rm = in[3],
                  &rv = in[4];
  int64_t n = x.shape[0], c = x.shape[1];
  int64_t s = productOf(ArrayRef<int64_t>(x.shape).drop_front(2));
  double eps = getEpsilon().convertToDouble();
  double mom = getMomentum().convertToDouble();
  RefTensor y(x.shape), newMean(rm.shape), newVar(rv.shape);
  auto at = [&](int64_t i, int64_t ch, int64_t j) { return (i * c + ch) * s + j; };
  for (int64_t ch = 0; ch < c; ++ch) {
    double mean = rm.data[ch], var = rv.data[ch];
    newMean.data[ch] = rm.data[ch];
    newVar.data[ch] = rv.data[ch];
    if (getTraining()) {
      std::vector<double> group;
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < s; ++j)
          group.push_back(x.data[at(i, ch, j)]);
      Moments m = moments(group);
      mean = m.mean;
      var = m.var;
      double count = double(group.size());
      double unbiased = count > 1 ? m.var * count / (count - 1) : m.var;
      newMean.data[ch] = (1 - mom) * rm.data[ch] + mom * m.mean;
      newVar.data[ch] = (1 - mom) * rv.data[ch] + mom * unbiased;
    }
    double rstd = 1.0 / std::sqrt(var + eps);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < s; ++j)
        y.data[at(i, ch, j)] =
            (x.data[at(i, ch, j)] - mean) * rstd * gamma.data[ch] +
            beta.data[ch];
  }
  out.push_back(std::move(y));
  out.push_back(std::move(newMean));
  out.push_back(std::move(newVar));
  return success();
}

LogicalResult DropoutOp::evaluateReference(ArrayRef<RefTensor> in,
                                           SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0];
  if (!getTraining()) {
    out.push_back(x);
    return success();
  }
  double rate = getRate().convertToDouble();
  uint32_t key = rng::streamKey(uint32_t(getSeed()),
                                uint32_t(float(in[1].data[0])));
  uint32_t threshold = rng::dropThreshold(rate);
  double scale = double(float(1.0 / (1.0 - rate)));
  RefTensor y(x.shape);
  for (int64_t i = 0; i < x.numElements(); ++i)
    y.data[i] = rng::bits24(key, uint32_t(i)) >= threshold ? x.data[i] * scale
                                                            : 0.0;
  out.push_back(std::move(y));
  return success();
}

//===----------------------------------------------------------------------===//
// Shared formulas (Normalization.h)
//===----------------------------------------------------------------------===//

norm::Stats norm::normalize(OpBuilder &b, Location loc, Value x,
                            ArrayRef<int64_t> axes, double epsilon) {
  auto axesAttr = b.getDenseI64ArrayAttr(axes);
  Stats s;
  s.mean = ReduceMeanOp::create(b, loc, x, axesAttr, /*keepdims=*/true);
  Value centered = SubOp::create(b, loc, x, s.mean);
  Value sq = MulOp::create(b, loc, centered, centered);
  s.var = ReduceMeanOp::create(b, loc, sq, axesAttr, /*keepdims=*/true);
  s.rstd = RsqrtOp::create(
      b, loc, AddOp::create(b, loc, s.var, grad::scalarLike(b, loc, x, epsilon)));
  s.xhat = MulOp::create(b, loc, centered, s.rstd);
  return s;
}

Value norm::normalizeVJP(OpBuilder &b, Location loc, Value dxhat,
                         const Stats &s, ArrayRef<int64_t> axes) {
  auto axesAttr = b.getDenseI64ArrayAttr(axes);
  Value meanG = ReduceMeanOp::create(b, loc, dxhat, axesAttr, true);
  Value meanGX = ReduceMeanOp::create(
      b, loc, MulOp::create(b, loc, dxhat, s.xhat), axesAttr, true);
  Value inner = SubOp::create(b, loc, SubOp::create(b, loc, dxhat, meanG),
                              MulOp::create(b, loc, s.xhat, meanGX));
  return MulOp::create(b, loc, s.rstd, inner);
}

SmallVector<int64_t> norm::batchNormAxes(int64_t rank) {
  SmallVector<int64_t> axes = {0};
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  return axes;
}

Value norm::perChannel(OpBuilder &b, Location loc, Value v, int64_t rank) {
  int64_t c = cast<RankedTensorType>(v.getType()).getDimSize(0);
  SmallVector<int64_t> shape = {c};
  shape.append(size_t(rank - 2), 1);
  return ReshapeOp::create(b, loc, v, b.getDenseI64ArrayAttr(shape));
}
