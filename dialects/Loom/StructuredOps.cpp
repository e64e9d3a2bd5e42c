//===- StructuredOps.cpp - Constants, matmul, reductions, softmax ---------===//
//
// Type inference and reference evaluation of the loom ops that are not
// elementwise and not pure data movement.
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"
#include "Loom/OpUtils.h"
#include "Loom/ShapeInference.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace loom;



//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto type = dyn_cast_or_null<RankedTensorType>(adaptor.getValue().getType());
  if (!type || !type.hasStaticShape())
    return emitOptionalError(loc, "'loom.constant' needs a statically shaped "
                                  "tensor value");
  types.push_back(type);
  return success();
}

LogicalResult ConstantOp::evaluateReference(ArrayRef<RefTensor>,
                                            SmallVectorImpl<RefTensor> &out) {
  FailureOr<RefTensor> value = refFromElements(getValue());
  if (failed(value))
    return emitOpError("has a value the reference evaluator cannot read");
  out.push_back(std::move(*value));
  return success();
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return pushType(inferMatmul(loc, adaptor.getLhs().getType(),
                              adaptor.getRhs().getType(),
                              adaptor.getTransposeLhs(),
                              adaptor.getTransposeRhs()),
                  types);
}

LogicalResult MatmulOp::evaluateReference(ArrayRef<RefTensor> in,
                                          SmallVectorImpl<RefTensor> &out) {
  const RefTensor &a = in[0], &b = in[1];
  ArrayRef<int64_t> shape = resultShape(*this);
  RefTensor c(shape);
  int64_t m = shape[shape.size() - 2], n = shape.back();
  int64_t k = getTransposeLhs() ? a.shape[a.rank() - 2] : a.shape.back();
  // Batch shapes of the operands, for broadcasting the batch index.
  ArrayRef<int64_t> aBatch = ArrayRef<int64_t>(a.shape).drop_back(2);
  ArrayRef<int64_t> bBatch = ArrayRef<int64_t>(b.shape).drop_back(2);
  ArrayRef<int64_t> cBatch = shape.drop_back(2);
  int64_t aMat = a.shape[a.rank() - 2] * a.shape.back();
  int64_t bMat = b.shape[b.rank() - 2] * b.shape.back();
  SmallVector<int64_t> index;
  for (int64_t batch = 0; batch < productOf(cBatch); ++batch) {
    unflattenIndex(batch, cBatch, index);
    const double *pa = a.data.data() + broadcastSourceIndex(index, aBatch) * aMat;
    const double *pb = b.data.data() + broadcastSourceIndex(index, bBatch) * bMat;
    double *pc = c.data.data() + batch * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double sum = 0.0;
        for (int64_t p = 0; p < k; ++p) {
          double x = getTransposeLhs() ? pa[p * m + i] : pa[i * k + p];
          double y = getTransposeRhs() ? pb[j * k + p] : pb[p * n + j];
          sum += x * y;
        }
        pc[i * n + j] = sum;
      }
  }
  out.push_back(std::move(c));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

#define LOOM_REDUCE_INFER(Op)                                                  \
  LogicalResult Op::inferReturnTypes(MLIRContext *,                           \
                                     std::optional<Location> loc,             \
                                     Adaptor adaptor,                         \
                                     SmallVectorImpl<Type> &types) {          \
    return pushType(inferReduce(loc, getOperationName(),                      \
                                adaptor.getOperand().getType(),               \
                                adaptor.getAxes(), adaptor.getKeepdims()),    \
                    types);                                                   \
  }
LOOM_REDUCE_INFER(ReduceSumOp)
LOOM_REDUCE_INFER(ReduceMeanOp)
LOOM_REDUCE_INFER(ReduceMaxOp)
#undef LOOM_REDUCE_INFER

namespace {
enum class ReduceKind { Sum, Mean, Max };
} // namespace

/// Reduces `x` over `axes`; the result has keepdims layout, which has the
/// same row-major order as the squeezed one, so only the shape differs.
static RefTensor reduce(const RefTensor &x, ArrayRef<int64_t> axes,
                        ArrayRef<int64_t> resultShape, ReduceKind kind) {
  SmallVector<int64_t> kept(x.shape.begin(), x.shape.end());
  for (int64_t a : axes)
    kept[a] = 1;
  RefTensor out(kept);
  double init = kind == ReduceKind::Max
                    ? -std::numeric_limits<double>::infinity()
                    : 0.0;
  std::fill(out.data.begin(), out.data.end(), init);
  SmallVector<int64_t> index;
  for (int64_t i = 0; i < x.numElements(); ++i) {
    unflattenIndex(i, x.shape, index);
    double &acc = out.data[broadcastSourceIndex(index, kept)];
    double v = x.data[i];
    if (kind == ReduceKind::Max)
      acc = (std::isnan(acc) || std::isnan(v)) ? NAN : std::max(acc, v);
    else
      acc += v;
  }
  if (kind == ReduceKind::Mean) {
    double count = double(x.numElements()) / double(out.numElements());
    for (double &v : out.data)
      v /= count;
  }
  out.shape.assign(resultShape.begin(), resultShape.end());
  return out;
}

LogicalResult ReduceSumOp::evaluateReference(ArrayRef<RefTensor> in,
                                             SmallVectorImpl<RefTensor> &out) {
  out.push_back(reduce(in[0], getAxes(), resultShape(*this), ReduceKind::Sum));
  return success();
}
LogicalResult ReduceMeanOp::evaluateReference(ArrayRef<RefTensor> in,
                                              SmallVectorImpl<RefTensor> &out) {
  out.push_back(
      reduce(in[0], getAxes(), resultShape(*this), ReduceKind::Mean));
  return success();
}
LogicalResult ReduceMaxOp::evaluateReference(ArrayRef<RefTensor> in,
                                             SmallVectorImpl<RefTensor> &out) {
  out.push_back(reduce(in[0], getAxes(), resultShape(*this), ReduceKind::Max));
  return success();
}

//===----------------------------------------------------------------------===//
// Softmax family
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return pushType(inferAxisPreserving(loc, getOperationName(),
                                      adaptor.getOperand().getType(),
                                      adaptor.getAxis()),
                  types);
}
LogicalResult LogSoftmaxOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  return pushType(inferAxisPreserving(loc, getOperationName(),
                                      adaptor.getOperand().getType(),
                                      adaptor.getAxis()),
                  types);
}

/// Softmax or log-softmax of `x` along `axis`, max-subtracted.
static RefTensor softmax(const RefTensor &x, int64_t axis, bool log) {
  int64_t axisSize = x.shape[axis];
  int64_t inner = productOf(ArrayRef<int64_t>(x.shape).drop_front(axis + 1));
  int64_t outer = productOf(ArrayRef<int64_t>(x.shape).take_front(axis));
  RefTensor out(x.shape);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t a) { return (o * axisSize + a) * inner + i; };
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t a = 0; a < axisSize; ++a)
        mx = std::max(mx, x.data[at(a)]);
      double sum = 0.0;
      for (int64_t a = 0; a < axisSize; ++a)
        sum += std::exp(x.data[at(a)] - mx);
      for (int64_t a = 0; a < axisSize; ++a)
        out.data[at(a)] = log ? x.data[at(a)] - mx - std::log(sum)
                              : std::exp(x.data[at(a)] - mx) / sum;
    }
  return out;
}

LogicalResult SoftmaxOp::evaluateReference(ArrayRef<RefTensor> in,
                                           SmallVectorImpl<RefTensor> &out) {
  out.push_back(softmax(in[0], getAxis(), /*log=*/false));
  return success();
}
LogicalResult LogSoftmaxOp::evaluateReference(ArrayRef<RefTensor> in,
                                              SmallVectorImpl<RefTensor> &out) {
  out.push_back(softmax(in[0], getAxis(), /*log=*/true));
  return success();
}
