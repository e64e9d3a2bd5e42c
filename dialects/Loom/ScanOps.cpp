//===- ScanOps.cpp - argmax and cumsum: types and reference ---------------===//
//
// Type inference (through inferArgmax and inferAxisPreserving) and the
// reference evaluation of the ops that walk one axis in order: plain loops
// in double over every line of the operand along the axis. The lowering
// (ScanToLinalg.cpp) is written differently on purpose (argmax as a
// reduction that is independent of its visiting order, cumsum as a loop
// over the axis updating a whole slice at a time), so the two check each
// other.
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"
#include "Loom/OpUtils.h"
#include "Loom/ShapeInference.h"

#include <cmath>

using namespace mlir;
using namespace loom;

/// Calls `line(at)` for every line of `shape` along `axis`, where `at(i)`
/// is the linear index of the line's i-th element.
template <typename Fn>
static void forEachLine(ArrayRef<int64_t> shape, int64_t axis, Fn line) {
  int64_t size = shape[axis];
  int64_t outer = productOf(shape.take_front(axis));
  int64_t inner = productOf(shape.drop_front(axis + 1));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in)
      line([&](int64_t i) { return (o * size + i) * inner + in; });
}

//===----------------------------------------------------------------------===//
// ArgmaxOp
//===----------------------------------------------------------------------===//

LogicalResult ArgmaxOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return pushType(inferArgmax(loc, adaptor.getOperand().getType(),
                              adaptor.getAxis(), adaptor.getKeepdims()),
                  types);
}

LogicalResult ArgmaxOp::evaluateReference(ArrayRef<RefTensor> in,
                                          SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0];
  int64_t axis = getAxis();
  RefTensor result(resultShape(*this));
  int64_t next = 0; // lines come in the result's row-major order
  forEachLine(x.shape, axis, [&](auto at) {
    // The first NaN, else the first maximum.
    int64_t best = 0;
    for (int64_t i = 1; i < x.shape[axis] && !std::isnan(x.data[at(best)]);
         ++i) {
      double v = x.data[at(i)];
      if (std::isnan(v) || v > x.data[at(best)])
        best = i;
    }
    result.data[next++] = double(best);
  });
  out.push_back(std::move(result));
  return success();
}

//===----------------------------------------------------------------------===//
// CumsumOp
//===----------------------------------------------------------------------===//

LogicalResult CumsumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return pushType(inferAxisPreserving(loc, getOperationName(),
                                      adaptor.getOperand().getType(),
                                      adaptor.getAxis()),
                  types);
}

LogicalResult CumsumOp::evaluateReference(ArrayRef<RefTensor> in,
                                          SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0];
  int64_t axis = getAxis(), size = x.shape[axis];
  bool reverse = getReverse(), exclusive = getExclusive();
  RefTensor result(x.shape);
  forEachLine(x.shape, axis, [&](auto at) {
    double sum = 0.0;
    for (int64_t step = 0; step < size; ++step) {
      int64_t i = reverse ? size - 1 - step : step;
      if (exclusive)
        result.data[at(i)] = sum;
      sum += x.data[at(i)];
      if (!exclusive)
        result.data[at(i)] = sum;
    }
  });
  out.push_back(std::move(result));
  return success();
}
