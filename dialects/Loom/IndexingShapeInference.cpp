//===- IndexingShapeInference.cpp - Shape rules of gather and friends -----===//
//
// gather, scatter_add and one_hot (IndexingShapeInference.h). Each message
// names the op, the attribute or operand at fault and the shapes, because
// the DSL shows it at the user's model line.
//
//===----------------------------------------------------------------------===//
#include "Loom/IndexingShapeInference.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

namespace loom {
namespace {

/// A static-shape tensor type, or an error naming the op.
FailureOr<RankedTensorType> staticTensor(OptLoc loc, StringRef opName, Type t) {
  auto rt = dyn_cast_or_null<RankedTensorType>(t);
  if (!rt || !rt.hasStaticShape())
    return emitOptionalError(loc, "'", opName,
                             "' expects ranked tensors with static shapes");
  return rt;
}

} // namespace

FailureOr<RankedTensorType> inferGather(OptLoc loc, Type tableT, Type indicesT,
                                        int64_t axis) {
  StringRef op = "loom.gather";
  auto table = staticTensor(loc, op, tableT);
  auto indices = staticTensor(loc, op, indicesT);
  if (failed(table) || failed(indices))
    return failure();
  ArrayRef<int64_t> t = table->getShape();
  if (t.empty())
    return emitOptionalError(loc, "'loom.gather' needs a table of rank >= 1, "
                                  "got a scalar");
  if (axis < 0 || axis >= int64_t(t.size()))
    return emitOptionalError(loc, "'loom.gather' axis ", axis,
                             " is out of range for table ", shapeString(t),
                             " (rank ", t.size(), ")");
  if (t[axis] < 1)
    return emitOptionalError(loc, "'loom.gather' table ", shapeString(t),
                             " has no entries along axis ", axis, " to gather");
  SmallVector<int64_t> shape(t.begin(), t.begin() + axis);
  llvm::append_range(shape, indices->getShape());
  shape.append(t.begin() + axis + 1, t.end());
  return RankedTensorType::get(shape, table->getElementType());
}

FailureOr<RankedTensorType> inferScatterAdd(OptLoc loc, Type updatesT,
                                            Type indicesT, int64_t axis,
                                            int64_t dimSize) {
  StringRef op = "loom.scatter_add";
  auto updates = staticTensor(loc, op, updatesT);
  auto indices = staticTensor(loc, op, indicesT);
  if (failed(updates) || failed(indices))
    return failure();
  ArrayRef<int64_t> u = updates->getShape(), i = indices->getShape();
  if (dimSize < 1)
    return emitOptionalError(loc,
                             "'loom.scatter_add' dim_size must be >= 1, "
                             "got ",
                             dimSize);
  int64_t maxAxis = int64_t(u.size()) - int64_t(i.size());
  if (axis < 0 || axis > maxAxis)
    return emitOptionalError(
        loc, "'loom.scatter_add' axis ", axis, " is out of range: updates ",
        shapeString(u), " must hold the indices' shape ", shapeString(i),
        " starting at the axis, so the axis must be in [0, ",
        std::max<int64_t>(maxAxis, 0), "]",
        maxAxis < 0 ? " (the updates have fewer dimensions than the indices)"
                    : "");
  ArrayRef<int64_t> window = u.slice(axis, i.size());
  if (window != i)
    return emitOptionalError(loc, "'loom.scatter_add' updates ", shapeString(u),
                             " must hold the indices' shape ", shapeString(i),
                             " at axis ", axis, ", got ", shapeString(window));
  SmallVector<int64_t> shape(u.begin(), u.begin() + axis);
  shape.push_back(dimSize);
  shape.append(u.begin() + axis + i.size(), u.end());
  return RankedTensorType::get(shape, updates->getElementType());
}

FailureOr<RankedTensorType> inferOneHot(OptLoc loc, Type indicesT,
                                        int64_t numClasses) {
  auto indices = staticTensor(loc, "loom.one_hot", indicesT);
  if (failed(indices))
    return failure();
  if (numClasses < 1)
    return emitOptionalError(loc,
                             "'loom.one_hot' num_classes must be >= 1, "
                             "got ",
                             numClasses);
  SmallVector<int64_t> shape(indices->getShape());
  shape.push_back(numClasses);
  return RankedTensorType::get(shape, indices->getElementType());
}

} // namespace loom
