//===- IndexingGradients.cpp - VJPs of gather, scatter_add, one_hot -------===//
//
// gather and scatter_add are each other's transposes (as slice and pad
// are), so their local rules are each other, with the same indices and
// axis:
//
//   gather       d table   = scatter_add(G, indices, axis, table's size)
//   scatter_add  d updates = gather(G, indices, axis)
//
// Indices are data: they get no gradient (a null Value), and neither does
// one_hot's operand. Repeated indices in a gather sum their gradients,
// which scatter_add does by construction.
//
//===----------------------------------------------------------------------===//
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"

using namespace mlir;
using namespace loom;
using namespace loom::grad;

LogicalResult GatherOp::buildVJP(OpBuilder &b, ValueRange g,
                                 SmallVectorImpl<Value> &out) {
  int64_t axis = getAxis();
  out.push_back(ScatterAddOp::create(b, getLoc(), g[0], getIndices(), axis,
                                     typeOf(getTable()).getDimSize(axis)));
  out.push_back(Value());
  return success();
}

LogicalResult ScatterAddOp::buildVJP(OpBuilder &b, ValueRange g,
                                     SmallVectorImpl<Value> &out) {
  out.push_back(GatherOp::create(b, getLoc(), g[0], getIndices(), getAxis()));
  out.push_back(Value());
  return success();
}

LogicalResult OneHotOp::buildVJP(OpBuilder &, ValueRange,
                                 SmallVectorImpl<Value> &out) {
  out.push_back(Value());
  return success();
}
