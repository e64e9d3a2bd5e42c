//===- AttentionOps.cpp - loom.attention: type, reference, VJP ------------===//
//
// The shape rule, the reference (plain loops in double over every leading
// index, with the max-subtracted softmax), the probabilities' formula shared
// with -loom-decompose (Attention.h), and the VJP. With P the probabilities
// and G = d(loss)/d(result):
//
//   d value = P^T G
//   dP      = G value^T
//   dS      = P * (dP - sum_j(dP * P))        (softmax's VJP, per row)
//   d query = dS key * scale,   d key = dS^T query * scale
//
// Masked positions have P = 0, so they pass no gradient.
//
//===----------------------------------------------------------------------===//
#include "Loom/Attention.h"
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"
#include "Loom/OpUtils.h"
#include "Loom/ShapeInference.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace loom;
using namespace loom::grad;

FailureOr<RankedTensorType> loom::inferAttention(OptLoc loc, Type queryT,
                                                 Type keyT, Type valueT,
                                                 double scale, bool causal) {
  auto q = cast<RankedTensorType>(queryT), k = cast<RankedTensorType>(keyT),
       v = cast<RankedTensorType>(valueT);
  auto qs = q.getShape(), ks = k.getShape(), vs = v.getShape();
  auto all = [&] {
    return "query " + shapeString(qs) + ", key " + shapeString(ks) +
           ", value " + shapeString(vs);
  };
  if (q.getRank() < 2 || k.getRank() != q.getRank() ||
      v.getRank() != q.getRank())
    return emitOptionalError(loc, "'loom.attention' expects query, key and "
                                  "value of the same rank >= 2, got ",
                             all());
  int64_t r = q.getRank();
  if (qs.drop_back(2) != ks.drop_back(2) || qs.drop_back(2) != vs.drop_back(2))
    return emitOptionalError(loc, "'loom.attention' leading dimensions differ: ",
                             all());
  if (qs[r - 1] != ks[r - 1])
    return emitOptionalError(loc, "'loom.attention' query and key feature "
                                  "sizes differ (",
                             qs[r - 1], " vs ", ks[r - 1], "): ", all());
  if (ks[r - 2] != vs[r - 2])
    return emitOptionalError(loc, "'loom.attention' key and value sequence "
                                  "lengths differ (",
                             ks[r - 2], " vs ", vs[r - 2], "): ", all());
  if (causal && qs[r - 2] != ks[r - 2])
    return emitOptionalError(loc, "'loom.attention' causal needs equal query "
                                  "and key lengths, got ",
                             all());
  if (!(scale > 0))
    return emitOptionalError(loc, "'loom.attention' scale must be > 0, got ",
                             scale);
  SmallVector<int64_t> shape(qs.begin(), qs.end());
  shape.back() = vs[r - 1];
  return RankedTensorType::get(shape, q.getElementType());
}

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor a,
                                            SmallVectorImpl<Type> &types) {
  return pushType(inferAttention(loc, a.getQuery().getType(),
                                 a.getKey().getType(), a.getValue().getType(),
                                 a.getScale().convertToDouble(),
                                 bool(a.getCausal())),
                  types);
}

LogicalResult AttentionOp::evaluateReference(ArrayRef<RefTensor> in,
                                             SmallVectorImpl<RefTensor> &out) {
  const RefTensor &q = in[0], &k = in[1], &v = in[2];
  int64_t r = q.rank();
  int64_t lq = q.shape[r - 2], d = q.shape[r - 1], lk = k.shape[r - 2],
          dv = v.shape[r - 1];
  int64_t batches = lq * d ? q.numElements() / (lq * d) : 0;
  double scale = getScale().convertToDouble();
  RefTensor y(resultShape(*this));
  std::vector<double> p(static_cast<size_t>(lk));
  for (int64_t bi = 0; bi < batches; ++bi) {
    const double *qb = q.data.data() + bi * lq * d;
    const double *kb = k.data.data() + bi * lk * d;
    const double *vb = v.data.data() + bi * lk * dv;
    double *yb = y.data.data() + bi * lq * dv;
    for (int64_t i = 0; i < lq; ++i) {
      double max = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < lk; ++j) {
        double s = 0;
        for (int64_t c = 0; c < d; ++c)
          s += qb[i * d + c] * kb[j * d + c];
        p[j] = getCausal() && j > i ? -std::numeric_limits<double>::infinity()
                                    : s * scale;
        max = std::max(max, p[j]);
      }
      double sum = 0;
      for (int64_t j = 0; j < lk; ++j)
        sum += p[j] = std::exp(p[j] - max);
      for (int64_t c = 0; c < dv; ++c) {
        double acc = 0;
        for (int64_t j = 0; j < lk; ++j)
          acc += p[j] / sum * vb[j * dv + c];
        yb[i * dv + c] = acc;
      }
    }
  }
  out.push_back(std::move(y));
  return success();
}

Value attention::probabilities(OpBuilder &b, Location loc, Value query,
                               Value key, double scale, bool causal) {
  Value scores = MatmulOp::create(b, loc, query, key, /*transposeLhs=*/false,
                                  /*transposeRhs=*/true);
  scores = MulOp::create(b, loc, scores, scalarLike(b, loc, scores, scale));
  auto type = typeOf(scores);
  int64_t r = type.getRank();
  if (causal) {
    int64_t l = type.getDimSize(r - 1);
    SmallVector<bool> keep;
    for (int64_t i = 0; i < l; ++i)
      for (int64_t j = 0; j < l; ++j)
        keep.push_back(j <= i);
    auto maskType = RankedTensorType::get({l, l}, b.getI1Type());
    Value mask = ConstantOp::create(
        b, loc, DenseElementsAttr::get(maskType, ArrayRef<bool>(keep)));
    Value minusInf = scalarLike(b, loc, scores,
                                -std::numeric_limits<double>::infinity());
    scores = SelectOp::create(b, loc, mask, scores, minusInf);
  }
  return SoftmaxOp::create(b, loc, scores, r - 1);
}

LogicalResult AttentionOp::buildVJP(OpBuilder &b, ValueRange g,
                                    SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  double scale = getScale().convertToDouble();
  Value q = getQuery(), k = getKey(), v = getValue();
  Value p = attention::probabilities(b, loc, q, k, scale, getCausal());
  int64_t r = typeOf(p).getRank();
  Value dv = MatmulOp::create(b, loc, p, g[0], /*transposeLhs=*/true, false);
  Value dp = MatmulOp::create(b, loc, g[0], v, false, /*transposeRhs=*/true);
  Value rowDot = ReduceSumOp::create(b, loc, MulOp::create(b, loc, dp, p),
                                     b.getDenseI64ArrayAttr({r - 1}),
                                     /*keepdims=*/true);
  Value ds = MulOp::create(b, loc, p, SubOp::create(b, loc, dp, rowDot));
  Value s = scalarLike(b, loc, q, scale);
  Value dq = MulOp::create(b, loc, MatmulOp::create(b, loc, ds, k, false, false),
                           s);
  Value dk = MulOp::create(
      b, loc, MatmulOp::create(b, loc, ds, q, /*transposeLhs=*/true, false), s);
  out.append({dq, dk, dv});
  return success();
}
