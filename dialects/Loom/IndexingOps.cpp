//===- IndexingOps.cpp - Gather, scatter_add, one_hot: types and reference ===//
//
// Type inference (through the rules in IndexingShapeInference.cpp) and the
// reference evaluation of the indexing family: the definitions as plain
// loops in double. The reference walks the *source* of each op (gather the
// result, scatter_add the updates), while the lowering iterates the other
// way for scatter_add (one compare per result row), so the two check each
// other. An index that is not an integer in range is an error naming the
// index, its position and the size, reported at the op.
//
//===----------------------------------------------------------------------===//
#include "Loom/IndexingShapeInference.h"
#include "Loom/LoomOps.h"
#include "Loom/OpUtils.h"

#include <cmath>
#include <sstream>

using namespace mlir;
using namespace loom;

namespace {

/// The integer position `value` names in [0, size), or an error at `op`.
FailureOr<int64_t> checkedIndex(Operation *op, double value, int64_t size,
                                int64_t position, StringRef range) {
  if (value >= 0 && value < double(size) && std::floor(value) == value)
    return int64_t(value);
  std::ostringstream text; // 57, 2.5, nan: as the runtime prints them
  text.precision(9);
  text << value;
  InFlightDiagnostic d = op->emitOpError()
                         << "index " << text.str() << " (element " << position
                         << " of the indices) ";
  if (std::isfinite(value) && std::floor(value) != value)
    d << "is not an integer";
  else
    d << "is out of range for " << range << " (size " << size << ")";
  return failure();
}

/// Splits a row-major shape at `axis` into the product of the dimensions
/// before it and the product of those from `axis + count` on.
std::pair<int64_t, int64_t> outerInner(ArrayRef<int64_t> shape, int64_t axis,
                                       int64_t count) {
  return {productOf(shape.take_front(axis)),
          productOf(shape.drop_front(axis + count))};
}

} // namespace

//===----------------------------------------------------------------------===//
// GatherOp
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return pushType(inferGather(loc, adaptor.getTable().getType(),
                              adaptor.getIndices().getType(),
                              adaptor.getAxis()),
                  types);
}

LogicalResult GatherOp::evaluateReference(ArrayRef<RefTensor> in,
                                          SmallVectorImpl<RefTensor> &out) {
  const RefTensor &table = in[0], &indices = in[1];
  int64_t axis = getAxis(), size = table.shape[axis];
  auto [outer, inner] = outerInner(table.shape, axis, 1);
  int64_t count = indices.numElements();
  RefTensor y(resultShape(*this));
  for (int64_t i = 0; i < count; ++i) {
    FailureOr<int64_t> row = checkedIndex(*this, indices.data[i], size, i,
                                          "axis " + std::to_string(axis));
    if (failed(row))
      return failure();
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k = 0; k < inner; ++k)
        y.data[(o * count + i) * inner + k] =
            table.data[(o * size + *row) * inner + k];
  }
  out.push_back(std::move(y));
  return success();
}

//===----------------------------------------------------------------------===//
// ScatterAddOp
//===----------------------------------------------------------------------===//

LogicalResult ScatterAddOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  return pushType(inferScatterAdd(loc, adaptor.getUpdates().getType(),
                                  adaptor.getIndices().getType(),
                                  adaptor.getAxis(), adaptor.getDimSize()),
                  types);
}

LogicalResult ScatterAddOp::evaluateReference(ArrayRef<RefTensor> in,
                                              SmallVectorImpl<RefTensor> &out) {
  const RefTensor &updates = in[0], &indices = in[1];
  int64_t axis = getAxis(), size = getDimSize();
  int64_t count = indices.numElements();
  auto [outer, inner] = outerInner(updates.shape, axis, indices.rank());
  RefTensor y(resultShape(*this)); // zeros
  for (int64_t i = 0; i < count; ++i) {
    FailureOr<int64_t> row =
        checkedIndex(*this, indices.data[i], size, i, "dim_size");
    if (failed(row))
      return failure();
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k = 0; k < inner; ++k)
        y.data[(o * size + *row) * inner + k] +=
            updates.data[(o * count + i) * inner + k];
  }
  out.push_back(std::move(y));
  return success();
}

//===----------------------------------------------------------------------===//
// OneHotOp
//===----------------------------------------------------------------------===//

LogicalResult OneHotOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return pushType(
      inferOneHot(loc, adaptor.getIndices().getType(), adaptor.getNumClasses()),
      types);
}

LogicalResult OneHotOp::evaluateReference(ArrayRef<RefTensor> in,
                                          SmallVectorImpl<RefTensor> &out) {
  const RefTensor &indices = in[0];
  int64_t classes = getNumClasses();
  RefTensor y(resultShape(*this)); // zeros
  for (int64_t i = 0; i < indices.numElements(); ++i) {
    FailureOr<int64_t> c =
        checkedIndex(*this, indices.data[i], classes, i, "num_classes");
    if (failed(c))
      return failure();
    y.data[i * classes + *c] = 1.0;
  }
  out.push_back(std::move(y));
  return success();
}
