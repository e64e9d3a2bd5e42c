//===- GradientUtils.cpp - Building blocks of the ops' gradient rules -----===//
//
// Constants and the broadcast-reduction shared by the families' VJPs. The
// ops are built with their type-inferring builders: every shape here is
// derived from a verified op, so inference cannot fail.
//
//===----------------------------------------------------------------------===//
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"

using namespace mlir;

namespace loom::grad {

bool isDifferentiable(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && isa<FloatType>(type.getElementType());
}

Value scalarLike(OpBuilder &b, Location loc, Value like, double value) {
  Type et = typeOf(like).getElementType();
  auto type = RankedTensorType::get({}, et);
  return ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getFloatAttr(et, value)));
}

Value zerosOf(OpBuilder &b, Location loc, RankedTensorType type) {
  return ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(type, b.getZeroAttr(type.getElementType())));
}

Value sumToShape(OpBuilder &b, Location loc, Value grad,
                 RankedTensorType target) {
  RankedTensorType from = typeOf(grad);
  if (from == target)
    return grad;
  ArrayRef<int64_t> fromShape = from.getShape(), toShape = target.getShape();
  int64_t lead = int64_t(fromShape.size()) - int64_t(toShape.size());
  assert(lead >= 0 && "gradient has lower rank than the broadcast operand");
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < int64_t(fromShape.size()); ++d)
    if (d < lead || (toShape[d - lead] == 1 && fromShape[d] != 1))
      axes.push_back(d);
  // Without added leading dims, keepdims gives the target shape directly.
  Value r = grad;
  if (!axes.empty())
    r = ReduceSumOp::create(b, loc, r, axes, /*keepdims=*/lead == 0);
  if (typeOf(r) != target)
    r = ReshapeOp::create(b, loc, r, toShape);
  return r;
}

} // namespace loom::grad
