//===- ShapeGradients.cpp - VJPs of the data-movement loom ops -----------===//
//
// Data movement is linear, so each rule is the op's transpose:
//
//   reshape       reshape back to the operand's shape
//   transpose     transpose by the inverse permutation
//   broadcast_to  sum over the broadcast dimensions (sumToShape)
//   slice         pad: the gradient lands at the sliced positions, zeros
//                 elsewhere (interior padding = stride - 1)
//   pad           slice out the operand's positions
//   concat        one slice of the gradient per input
//
// These ops also move i1 tensors; those carry no gradient (null).
//
//===----------------------------------------------------------------------===//
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"

using namespace mlir;
using namespace loom;
using namespace loom::grad;

LogicalResult ReshapeOp::buildVJP(OpBuilder &b, ValueRange g,
                                  SmallVectorImpl<Value> &out) {
  if (!isDifferentiable(getOperand())) {
    out.push_back(Value());
    return success();
  }
  out.push_back(
      ReshapeOp::create(b, getLoc(), g[0], typeOf(getOperand()).getShape()));
  return success();
}

LogicalResult TransposeOp::buildVJP(OpBuilder &b, ValueRange g,
                                    SmallVectorImpl<Value> &out) {
  if (!isDifferentiable(getOperand())) {
    out.push_back(Value());
    return success();
  }
  ArrayRef<int64_t> perm = getPermutation();
  SmallVector<int64_t> inverse(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inverse[p] = int64_t(i);
  out.push_back(TransposeOp::create(b, getLoc(), g[0], inverse));
  return success();
}

LogicalResult BroadcastToOp::buildVJP(OpBuilder &b, ValueRange g,
                                      SmallVectorImpl<Value> &out) {
  if (!isDifferentiable(getOperand())) {
    out.push_back(Value());
    return success();
  }
  out.push_back(sumToShape(b, getLoc(), g[0], typeOf(getOperand())));
  return success();
}

LogicalResult SliceOp::buildVJP(OpBuilder &b, ValueRange g,
                                SmallVectorImpl<Value> &out) {
  if (!isDifferentiable(getOperand())) {
    out.push_back(Value());
    return success();
  }
  ArrayRef<int64_t> size = typeOf(getOperand()).getShape();
  ArrayRef<int64_t> taken = typeOf(getResult()).getShape();
  SmallVector<int64_t> low, high, interior;
  for (size_t d = 0; d < size.size(); ++d) {
    int64_t start = getStart()[d], stride = getStride()[d];
    // One past the last index read (start itself if nothing was read).
    int64_t end = taken[d] > 0 ? start + (taken[d] - 1) * stride + 1 : start;
    low.push_back(start);
    interior.push_back(stride - 1);
    high.push_back(size[d] - end);
  }
  out.push_back(PadOp::create(b, getLoc(), g[0], low, high, interior));
  return success();
}

LogicalResult PadOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  if (!isDifferentiable(getOperand())) {
    out.push_back(Value());
    return success();
  }
  ArrayRef<int64_t> size = typeOf(getOperand()).getShape();
  SmallVector<int64_t> start, limit, stride;
  for (size_t d = 0; d < size.size(); ++d) {
    int64_t step = getInterior()[d] + 1;
    start.push_back(getLow()[d]);
    limit.push_back(size[d] > 0 ? getLow()[d] + (size[d] - 1) * step + 1
                                : getLow()[d]);
    stride.push_back(step);
  }
  out.push_back(SliceOp::create(b, getLoc(), g[0], start, limit, stride));
  return success();
}

LogicalResult ConcatOp::buildVJP(OpBuilder &b, ValueRange g,
                                 SmallVectorImpl<Value> &out) {
  int64_t axis = getAxis();
  ArrayRef<int64_t> full = typeOf(getResult()).getShape();
  int64_t offset = 0;
  for (Value in : getInputs()) {
    int64_t extent = typeOf(in).getDimSize(axis);
    if (!isDifferentiable(in)) {
      out.push_back(Value());
    } else {
      SmallVector<int64_t> start(full.size(), 0), limit(full),
          stride(full.size(), 1);
      start[axis] = offset;
      limit[axis] = offset + extent;
      out.push_back(SliceOp::create(b, getLoc(), g[0], start, limit, stride));
    }
    offset += extent;
  }
  return success();
}
